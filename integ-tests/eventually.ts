import { setTimeout as sleep } from 'node:timers/promises';

export interface EventuallyOptions {
  /** How long to keep trying, in milliseconds. */
  readonly within: number;
  /** Pause between attempts, in milliseconds. @default 2000 */
  readonly every?: number;
  /** What is awaited, for the failure message, such as "the order in the search index". */
  readonly what: string;
}

/**
 * Runs `attempt` until it resolves, and returns its value: for a result that is eventually
 * consistent (a search index fed by a stream, live aggregates, objects a buffer writes). `attempt`
 * throws while the result is not there yet (an `expect` is the usual way). When `within` has
 * passed, the last failure is thrown, prefixed with what was awaited and for how long.
 */
export async function eventually<T>(attempt: () => Promise<T>, options: EventuallyOptions): Promise<T> {
  const deadline = Date.now() + options.within;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() >= deadline) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `Not there within ${options.within / 1000} s: ${options.what}.\nLast attempt: ${reason}`,
          {
            cause: error,
          },
        );
      }
    }
    await sleep(Math.min(options.every ?? 2000, Math.max(0, deadline - Date.now())));
  }
}

/** Seconds, in the milliseconds jest and `eventually` take. */
export const seconds = (n: number): number => n * 1000;
