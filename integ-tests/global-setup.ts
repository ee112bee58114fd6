import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { keepLocalPlatform } from './local-platform-handle';

/** The local platform's own log (its progress and the functions' logs), kept after the run. */
export const LOCAL_PLATFORM_LOG = path.join(__dirname, '..', 'reports', 'integ', 'local-platform.log');

/**
 * Chooses the platform under test. With `API_URL` set (the pipeline sets it and the other outputs
 * of the stage it deployed), the suite runs against that stage. Without it, this starts the local
 * platform on a free port with fresh data in a temporary folder, and puts its variables into
 * `process.env`, which the test workers inherit; the global teardown stops it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.API_URL) {
    console.log(`\nIntegration tests against the deployed stage at ${process.env.API_URL}`);
    return;
  }
  fs.mkdirSync(path.dirname(LOCAL_PLATFORM_LOG), { recursive: true });
  fs.writeFileSync(LOCAL_PLATFORM_LOG, '');
  const log = (line: string) => fs.appendFileSync(LOCAL_PLATFORM_LOG, `${line}\n`);
  console.log(`\nAPI_URL is not set: starting the local platform (its log: ${LOCAL_PLATFORM_LOG})...`);

  // Loaded only here: a run against a deployed stage never synthesizes or starts anything.
  const { startLocalPlatform } = await import('../local/platform/local-platform');
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'ecommerce-integ-'));
  const platform = await startLocalPlatform({ port: 0, dataDirectory, fresh: true, log });
  keepLocalPlatform({ platform, dataDirectory });
  Object.assign(process.env, platform.environment);
  console.log(`Integration tests against the local platform at ${platform.url}`);
}
