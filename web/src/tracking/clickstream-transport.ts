import type { ShopEvent } from '../../../services/clickstream/domain/shop-event';
import { ApiError, fallbackMessage } from '../api/api-error';
import { requestJson } from '../api/http-client';

/**
 * How the clickstream tracker sends one batch to `POST /events`: a JSON `fetch`, with `keepalive`
 * when the page is being hidden so that the request outlives the page, or, in a browser whose
 * `fetch` has no `keepalive`, `navigator.sendBeacon`.
 */

/** The 200 answer of `POST /events` (infra/constructs/clickstream-ingest-templates.ts). */
export interface EventsAnswer {
  readonly accepted: number;
  readonly failed: number;
  /** 0-based indexes, in the batch's order, of the events the stream refused: send exactly these again. */
  readonly retry: readonly number[];
}

export interface SendOptions {
  /** The page is being hidden: the request must survive it (and its answer may never be read). */
  readonly keepalive: boolean;
}

/**
 * Sends one batch. Resolves with the 200 answer; rejects on a network error (status 0) or a non-2xx
 * answer with an error whose `status` is the HTTP status (an `ApiError`, the API's message for a 4xx).
 */
export type SendEvents = (events: readonly ShopEvent[], options: SendOptions) => Promise<EventsAnswer>;

export interface TransportEnvironment {
  /**
   * Used instead of a keepalive `fetch` when `fetch` cannot keep a request alive.
   * @default navigator.sendBeacon, only where `Request` has no `keepalive`
   */
  readonly sendBeacon?: (url: string, data: Blob) => boolean;
  /** @default 10 seconds */
  readonly timeoutMs?: number;
}

/** The default `SendEvents`: `POST eventsUrl` with `{ "events": [...] }`. */
export function postEvents(
  eventsUrl: string,
  environment: TransportEnvironment = browserEnvironment(),
): SendEvents {
  return async (events, { keepalive }) => {
    if (keepalive && environment.sendBeacon) {
      return beacon(environment.sendBeacon, eventsUrl, JSON.stringify({ events }), events.length);
    }
    const { body: answer } = await requestJson<unknown>(new URL(eventsUrl), {
      method: 'POST',
      body: { events },
      keepalive,
      timeoutMs: environment.timeoutMs ?? 10_000,
    });
    return eventsAnswer(answer, events.length);
  };
}

/**
 * A beacon's answer cannot be read: once the browser has queued it, the batch counts as accepted
 * (sending it again could count it twice). A beacon the browser refuses (too large, or a content
 * type it will not send) is a network error, and the batch stays queued.
 */
function beacon(sendBeacon: (url: string, data: Blob) => boolean, url: string, body: string, count: number) {
  let queued = false;
  try {
    queued = sendBeacon(url, new Blob([body], { type: 'application/json' }));
  } catch {
    // Refused, as below.
  }
  if (!queued) return Promise.reject(new ApiError(fallbackMessage(0), 0));
  return Promise.resolve<EventsAnswer>({ accepted: count, failed: 0, retry: [] });
}

/** Reads a 200 answer; indexes outside the batch are ignored. An answer without `retry` retries nothing. */
function eventsAnswer(value: unknown, count: number): EventsAnswer {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const retry = Array.isArray(record.retry)
    ? [...new Set(record.retry)].filter(
        (index): index is number => Number.isInteger(index) && index >= 0 && index < count,
      )
    : [];
  const number = (field: unknown, fallback: number) => (typeof field === 'number' ? field : fallback);
  return {
    accepted: number(record.accepted, count - retry.length),
    failed: number(record.failed, retry.length),
    retry,
  };
}

function browserEnvironment(): TransportEnvironment {
  const keepaliveFetch = typeof Request !== 'undefined' && 'keepalive' in Request.prototype;
  const navigatorBeacon =
    typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function'
      ? (url: string, data: Blob) => navigator.sendBeacon(url, data)
      : undefined;
  return !keepaliveFetch && navigatorBeacon ? { sendBeacon: navigatorBeacon } : {};
}
