import type { LocalPlatform } from '../local/platform/local-platform';

/** The local platform the global setup started, and where its data lives; read back by the global teardown. */
export interface StartedLocalPlatform {
  readonly platform: LocalPlatform;
  readonly dataDirectory: string;
}

/** A key in the one global registry: setup and teardown may load this module separately. */
const KEY = Symbol.for('ecommerce-platform.integ-tests.local-platform');

type Holder = Record<symbol, StartedLocalPlatform | undefined>;

export function keepLocalPlatform(started: StartedLocalPlatform): void {
  (globalThis as unknown as Holder)[KEY] = started;
}

/** The local platform the global setup started, if it started one; forgotten once taken. */
export function takeLocalPlatform(): StartedLocalPlatform | undefined {
  const holder = globalThis as unknown as Holder;
  const started = holder[KEY];
  holder[KEY] = undefined;
  return started;
}
