/**
 * A fallback chain: links asked one after the other until one answers, each under a timeout and
 * all of them under one time budget, and a last link that always answers.
 */

/** What a link says when it has nothing to go on for this query (no model trained, no signal yet): not a fault. */
export interface NotAvailable {
  readonly notAvailable: string;
}

export function notAvailable(reason: string): NotAvailable {
  return { notAvailable: reason };
}

export function isNotAvailable(answer: unknown): answer is NotAvailable {
  return typeof answer === 'object' && answer !== null && 'notAvailable' in answer;
}

/** A link's answer: items (none means it asked and got nothing usable) or why it had nothing to go on. */
export type LinkAnswer<T> = readonly T[] | NotAvailable;

export interface ChainLink<Q, T, S extends string> {
  readonly source: S;
  /**
   * Answers `query`. `signal` aborts when the link's time is up: work still running may stop, its
   * result is not used either way.
   */
  answer(query: Q, signal: AbortSignal): Promise<LinkAnswer<T>>;
}

/** The link that ends the chain: it has no time limit, and answers at once, without failing. */
export interface LastLink<Q, T, S extends string> {
  readonly source: S;
  answer(query: Q): readonly T[];
}

export interface ChainOptions {
  /** Time for every link but the last, together, in milliseconds; links left when it is spent are skipped. */
  readonly budgetMs: number;
  /** Most time one link gets, in milliseconds (less when less of the budget is left). */
  readonly perLinkTimeoutMs: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** What happened to one link of the chain, and how long it took. */
export type LinkOutcome<S extends string> =
  | { readonly source: S; readonly outcome: 'answered'; readonly ms: number }
  | { readonly source: S; readonly outcome: 'not-available'; readonly reason: string; readonly ms: number }
  | { readonly source: S; readonly outcome: 'empty'; readonly ms: number }
  | { readonly source: S; readonly outcome: 'failed'; readonly error: unknown; readonly ms: number }
  | { readonly source: S; readonly outcome: 'timed-out'; readonly ms: number }
  | { readonly source: S; readonly outcome: 'skipped' };

export interface ChainAnswer<T, S extends string> {
  readonly source: S;
  readonly items: readonly T[];
  /** Every link asked or skipped before the one that answered, and that one, in order. */
  readonly attempts: readonly LinkOutcome<S>[];
  /**
   * Whether the answer came from a link other than the first available one: the first link that
   * did not say it had nothing to go on failed, timed out, answered nothing or was skipped.
   */
  readonly fallback: boolean;
}

/** Thrown into a link's signal when its time is up. */
export class LinkTimeoutError extends Error {
  constructor(
    readonly source: string,
    readonly timeoutMs: number,
  ) {
    super(`${source} did not answer within ${timeoutMs} ms`);
    this.name = 'LinkTimeoutError';
  }
}

const TIMED_OUT = Symbol('timed out');

/**
 * The first answer with items: each of `links` in turn, under `min(perLinkTimeoutMs, budget left)`;
 * a link that throws, times out, answers no items or has nothing to go on passes the query on.
 * When the budget is spent the remaining links are skipped, and `last` answers.
 */
export async function firstAnswer<Q, T, S extends string>(
  links: readonly ChainLink<Q, T, S>[],
  last: LastLink<Q, T, S>,
  query: Q,
  options: ChainOptions,
): Promise<ChainAnswer<T, S>> {
  const now = options.now ?? Date.now;
  const start = now();
  const attempts: LinkOutcome<S>[] = [];

  for (const link of links) {
    const remaining = options.budgetMs - (now() - start);
    if (remaining <= 0) {
      attempts.push({ source: link.source, outcome: 'skipped' });
      continue;
    }
    const outcome = await ask(link, query, Math.min(options.perLinkTimeoutMs, remaining), now);
    if ('items' in outcome) {
      attempts.push({ source: link.source, outcome: 'answered', ms: outcome.ms });
      return { source: link.source, items: outcome.items, attempts, fallback: isFallback(attempts) };
    }
    attempts.push(outcome);
  }

  attempts.push({ source: last.source, outcome: 'answered', ms: 0 });
  return { source: last.source, items: last.answer(query), attempts, fallback: isFallback(attempts) };
}

async function ask<Q, T, S extends string>(
  link: ChainLink<Q, T, S>,
  query: Q,
  timeoutMs: number,
  now: () => number,
): Promise<LinkOutcome<S> | { readonly items: readonly T[]; readonly ms: number }> {
  const { source } = link;
  const controller = new AbortController();
  const started = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    // Through a promise, so that a link that throws before it returns one fails like any other.
    const answer = await Promise.race([
      Promise.resolve().then(() => link.answer(query, controller.signal)),
      timeout,
    ]);
    const ms = now() - started;
    if (answer === TIMED_OUT) {
      controller.abort(new LinkTimeoutError(source, timeoutMs));
      return { source, outcome: 'timed-out', ms };
    }
    if (isNotAvailable(answer)) return { source, outcome: 'not-available', reason: answer.notAvailable, ms };
    if (answer.length === 0) return { source, outcome: 'empty', ms };
    return { items: answer, ms };
  } catch (error) {
    return { source, outcome: 'failed', error, ms: now() - started };
  } finally {
    clearTimeout(timer);
  }
}

function isFallback<S extends string>(attempts: readonly LinkOutcome<S>[]): boolean {
  const firstAvailable = attempts.find((attempt) => attempt.outcome !== 'not-available');
  return firstAvailable?.outcome !== 'answered';
}
