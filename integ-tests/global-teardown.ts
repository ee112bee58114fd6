import * as fs from 'node:fs';
import { takeLocalPlatform } from './local-platform-handle';

/** Stops the local platform the global setup started (nothing to do against a deployed stage). */
export default async function globalTeardown(): Promise<void> {
  const started = takeLocalPlatform();
  if (!started) return;
  try {
    await started.platform.stop();
  } finally {
    fs.rmSync(started.dataDirectory, { recursive: true, force: true });
  }
}
