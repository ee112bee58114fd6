import type { ShopEvent } from '../../../services/clickstream/domain/shop-event';
import { postEvents, type EventsAnswer, type SendEvents } from './clickstream-transport';

/**
 * The storefront's clickstream: pages `track()` what shoppers do; the tracker stamps each event and
 * sends them to `POST /events` in batches, without ever making a page wait or fail.
 *
 * - **Batching**: a batch goes when `maxBatchSize` (25) events are queued, or `flushIntervalMs` (5 s)
 *   after the first queued one, whichever comes first; one request at a time, oldest events first.
 * - **Page hidden** (`visibilitychange` to hidden, `pagehide`): everything queued goes at once with
 *   keepalive requests (within the browser's 64 KB keepalive budget; what does not fit stays queued).
 * - **Retries**: a network error, a 429 or a 5xx puts the batch back at the head of the queue; a 200
 *   whose `retry` names some events puts back exactly those (the others were written, and the
 *   processor does not deduplicate across batches). The next attempt waits `min(60 s, 1 s × 2^(n-1))`
 *   after the n-th failure in a row, times a random 50-100 % (jitter), so that tabs do not retry in step.
 * - **Bounded retries**: an event the API refuses `MAX_SEND_ATTEMPTS` (10) times (5xx, 429, or named
 *   in `retry`; 2 to 4 minutes of a failing stream) is given up with a warning and counted as
 *   `abandoned`. A network error is not counted: an offline shopper's events wait for the network,
 *   bounded by the queue and the tab's life.
 * - **Refused batches**: any other 4xx (a 400 from the request model) will never succeed: the batch is
 *   removed, counted as `rejected`, and reported with `console.warn` and the API's message. Nothing
 *   can quarantine it server-side (the API writes nothing for a 400); the warning is the only trace.
 * - **Bounded queue**: at most `maxQueueSize` (1,000) events wait; beyond that the oldest are dropped
 *   (the newest say most about the shopper now) and counted as `dropped`.
 * - **Persistence**: waiting and in-flight events are kept in `storage` (sessionStorage), so that a
 *   reload or a navigation in the same tab sends them later (restored at construction). Events handed
 *   to a keepalive request when the page is hidden are not kept: the browser delivers them after the
 *   page is gone, and sending them again from the next page would count them twice; they are the only
 *   events that can be lost (if that last request fails while no page is left to see it). A regular
 *   request cancelled by a navigation is sent again by the next page, a rare double count.
 *
 * `diagnostics` gives the counts for tests and support.
 */

/** Removes `K` from each member of a union, keeping it discriminated. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a page reports; the tracker adds eventId, sessionId, userId and timestamp. */
export type TrackedEvent = DistributiveOmit<ShopEvent, 'eventId' | 'sessionId' | 'userId' | 'timestamp'>;

export interface ClickstreamTrackerOptions {
  readonly eventsUrl: string;
  /** The signed-in shopper's id (Cognito sub), read at track() time. */
  readonly userId: () => string | undefined;
  /** @default window.sessionStorage: the session id lives as long as the tab */
  readonly storage?: Storage;
  /** @default 25 (the most one POST /events takes) */
  readonly maxBatchSize?: number;
  /** @default 5000 */
  readonly flushIntervalMs?: number;
  /** Events waiting at most; beyond it the oldest are dropped. @default 1000 */
  readonly maxQueueSize?: number;
  /**
   * Sends one batch; @default fetch POST JSON (keepalive when the page is being hidden). Resolves
   * with the parsed 200 body, rejects on network error/non-2xx with the status.
   */
  readonly send?: SendEvents;
  readonly now?: () => Date;
  readonly randomUUID?: () => string;
}

/** What became of the events tracked so far, for tests and diagnostics. */
export interface ClickstreamDiagnostics {
  /** Waiting, or sent and not answered yet (except by the keepalive requests of a hidden page). */
  readonly queued: number;
  /** Accepted by the API. */
  readonly sent: number;
  /** Dropped, oldest first, because the queue was full. */
  readonly dropped: number;
  /** In a batch the API refused with a 4xx: never sent again. */
  readonly rejected: number;
  /** Given up after `MAX_SEND_ATTEMPTS` refusals. */
  readonly abandoned: number;
}

/** Refusals (5xx, 429, or named in `retry`) after which an event is given up. */
export const MAX_SEND_ATTEMPTS = 10;
const FIRST_RETRY_DELAY_MS = 1_000;
const MAX_RETRY_DELAY_MS = 60_000;
/** What browsers let keepalive requests carry in all (64 KiB), less a margin for headers. */
const KEEPALIVE_BUDGET_BYTES = 60_000;
const SESSION_KEY = 'clickstream.sessionId';
const QUEUE_KEY = 'clickstream.queue';

/** How long to wait after the `failures`-th failure in a row; `random` in [0, 1). */
export function retryDelayMs(failures: number, random: number = Math.random()): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling * (0.5 + random / 2));
}

/** An event waiting to be sent, with the times the API refused it. */
interface Entry {
  readonly event: ShopEvent;
  attempts: number;
}

export class ClickstreamTracker {
  readonly sessionId: string;
  private readonly storage: Storage | undefined;
  private readonly send: SendEvents;
  private readonly maxBatchSize: number;
  private readonly maxQueueSize: number;
  private readonly flushIntervalMs: number;
  private readonly now: () => Date;
  private readonly randomUUID: () => string;
  private queue: Entry[];
  /** Sent by a regular request, not answered yet: kept in storage in case the page goes away. */
  private readonly inFlight = new Set<Entry>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Failed sends in a row; the timer waits out the backoff while this is above 0. */
  private failures = 0;
  private sending = false;
  private draining: Promise<void> = Promise.resolve();
  private stopped = false;
  private counts = { sent: 0, dropped: 0, rejected: 0, abandoned: 0 };
  private readonly onVisibilityChange = () => {
    if (document.visibilityState === 'hidden') this.flushOnHide();
  };
  private readonly onPageHide = () => this.flushOnHide();

  constructor(private readonly options: ClickstreamTrackerOptions) {
    this.storage = options.storage ?? sessionStorageIfAny();
    this.send = options.send ?? postEvents(options.eventsUrl);
    this.maxBatchSize = options.maxBatchSize ?? 25;
    this.maxQueueSize = options.maxQueueSize ?? 1_000;
    this.flushIntervalMs = options.flushIntervalMs ?? 5_000;
    this.now = options.now ?? (() => new Date());
    this.randomUUID = options.randomUUID ?? uuid;
    this.sessionId = this.read(SESSION_KEY) ?? this.randomUUID();
    this.write(SESSION_KEY, this.sessionId);
    this.queue = restoredQueue(this.read(QUEUE_KEY));
    this.schedule();
  }

  get diagnostics(): ClickstreamDiagnostics {
    return { queued: this.queue.length + this.inFlight.size, ...this.counts };
  }

  /** Queues the event and returns; sending happens later. Never throws. */
  track(event: TrackedEvent): void {
    try {
      const userId = this.options.userId();
      const shopEvent = {
        ...event,
        eventId: this.randomUUID(),
        sessionId: this.sessionId,
        ...(userId && { userId }),
        timestamp: this.now().toISOString(),
      } as ShopEvent;
      this.queue.push({ event: shopEvent, attempts: 0 });
      this.trim();
      this.persist();
      this.schedule();
    } catch (error) {
      console.warn('Clickstream: an event could not be tracked', error);
    }
  }

  /** Sends what is queued now, in batches of `maxBatchSize`, one at a time. Never rejects. */
  flush(): Promise<void> {
    this.clearTimer();
    this.draining = this.draining.then(() => this.drain());
    return this.draining;
  }

  /** Flushes when the page is hidden or left. */
  start(): void {
    if (typeof document === 'undefined') return;
    this.stopped = false;
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    window.addEventListener('pagehide', this.onPageHide);
    this.schedule();
  }

  /** Stops listening and sending; what is queued stays in storage for the next tracker. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
    if (typeof document === 'undefined') return;
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    window.removeEventListener('pagehide', this.onPageHide);
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const batch = this.queue.splice(0, this.maxBatchSize);
        batch.forEach((entry) => this.inFlight.add(entry));
        if (!(await this.deliver(batch, false))) break;
      }
    } catch (error) {
      console.warn('Clickstream: sending events failed', error);
    } finally {
      this.sending = false;
      this.schedule();
    }
  }

  /** Hands every batch that fits the keepalive budget to the browser at once; the rest stays queued. */
  private flushOnHide(): void {
    this.clearTimer();
    let budget = KEEPALIVE_BUDGET_BYTES;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.maxBatchSize);
      const bytes = new Blob([JSON.stringify({ events: batch.map((entry) => entry.event) })]).size;
      if (bytes > budget) break;
      budget -= bytes;
      this.queue.splice(0, batch.length);
      this.deliver(batch, true).catch((error: unknown) =>
        console.warn('Clickstream: sending events failed', error),
      );
    }
    this.persist();
  }

  /** Sends one batch and settles its events; false when some of them must wait for a retry. */
  private async deliver(batch: Entry[], keepalive: boolean): Promise<boolean> {
    let answer: EventsAnswer;
    try {
      answer = await this.send(
        batch.map((entry) => entry.event),
        { keepalive },
      );
    } catch (error) {
      batch.forEach((entry) => this.inFlight.delete(entry));
      const status = statusOf(error);
      if (status === 0 || status === 429 || status >= 500) {
        this.retryLater(batch, status !== 0);
        return false;
      }
      this.counts.rejected += batch.length;
      this.persist();
      console.warn(
        `Clickstream: POST /events refused ${batch.length} events with HTTP ${status}, which are dropped: ` +
          messageOf(error),
      );
      return true;
    }
    batch.forEach((entry) => this.inFlight.delete(entry));
    // An answer without `retry` (not the API's) retries nothing rather than risk counting twice.
    const retry = [...new Set(answer.retry ?? [])].flatMap((index) => batch[index] ?? []);
    this.counts.sent += batch.length - retry.length;
    if (retry.length > 0) {
      this.retryLater(retry, true);
      return false;
    }
    this.failures = 0;
    this.persist();
    return true;
  }

  /** Puts the events back at the head of the queue, or gives up those refused too often. */
  private retryLater(entries: Entry[], refused: boolean): void {
    if (refused) entries.forEach((entry) => entry.attempts++);
    const given = entries.filter((entry) => entry.attempts >= MAX_SEND_ATTEMPTS);
    if (given.length > 0) {
      this.counts.abandoned += given.length;
      console.warn(
        `Clickstream: ${given.length} events were refused ${MAX_SEND_ATTEMPTS} times and are dropped`,
      );
    }
    this.queue.unshift(...entries.filter((entry) => entry.attempts < MAX_SEND_ATTEMPTS));
    this.trim();
    this.persist();
    this.failures++;
    this.clearTimer();
    if (!this.stopped) this.timer = setTimeout(() => void this.flush(), retryDelayMs(this.failures));
  }

  /** A full batch goes now (unless waiting out a backoff); otherwise the interval starts. */
  private schedule(): void {
    if (this.stopped || this.sending || this.queue.length === 0) return;
    if (this.queue.length >= this.maxBatchSize && this.failures === 0) {
      void this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.flushIntervalMs);
    }
  }

  private trim(): void {
    const excess = this.queue.length - this.maxQueueSize;
    if (excess <= 0) return;
    this.queue.splice(0, excess);
    this.counts.dropped += excess;
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private persist(): void {
    const entries = [...this.inFlight, ...this.queue];
    if (entries.length === 0) this.remove(QUEUE_KEY);
    else this.write(QUEUE_KEY, JSON.stringify(entries));
  }

  // Storage may be missing, full or forbidden (privacy settings): the tracker then lives in memory.
  private read(key: string): string | undefined {
    try {
      return this.storage?.getItem(key) ?? undefined;
    } catch {
      return undefined;
    }
  }

  private write(key: string, value: string): void {
    try {
      this.storage?.setItem(key, value);
    } catch {
      // In memory only.
    }
  }

  private remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      // In memory only.
    }
  }
}

/** The queue a previous page of this tab left, without anything unreadable. */
function restoredQueue(text: string | undefined): Entry[] {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: Partial<Entry> | null) =>
    typeof item?.event?.eventId === 'string' && typeof item.attempts === 'number'
      ? [{ event: item.event, attempts: item.attempts }]
      : [],
  );
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : 0;
}

/** The API's message and, for a 400 from the request model, what it found wrong. */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details = (error as { fieldErrors?: readonly { message: string }[] }).fieldErrors ?? [];
  return [error.message, ...details.map((detail) => detail.message)].join(': ');
}

function sessionStorageIfAny(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** `crypto.randomUUID`, which exists in secure contexts only; a version 4 UUID from random bytes elsewhere. */
function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
