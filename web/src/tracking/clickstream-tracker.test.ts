import type { ShopEvent } from '../../../services/clickstream/domain/shop-event';
import { ApiError } from '../api/api-error';
import { MemoryStorage } from '../testing/memory-storage';
import {
  ClickstreamTracker,
  MAX_SEND_ATTEMPTS,
  retryDelayMs,
  type ClickstreamTrackerOptions,
  type TrackedEvent,
} from './clickstream-tracker';
import type { EventsAnswer, SendOptions } from './clickstream-transport';

/** What the injected transport does with one call. */
type Reply = (events: readonly ShopEvent[]) => Promise<EventsAnswer>;

const acceptAll: Reply = (events) => Promise.resolve({ accepted: events.length, failed: 0, retry: [] });
const refuse =
  (status: number, message = 'Events cannot be received right now, try again later'): Reply =>
  () =>
    Promise.reject(new ApiError(message, status));
const networkDown: Reply = refuse(0, 'The shop could not be reached.');
const retryAt =
  (...indexes: number[]): Reply =>
  (events) =>
    Promise.resolve({ accepted: events.length - indexes.length, failed: indexes.length, retry: indexes });

/** The API as the tracker sees it: every call recorded, answered by the next queued reply (or accepted). */
class FakeEventsApi {
  readonly calls: { events: ShopEvent[]; keepalive: boolean }[] = [];
  /** Event ids the API accepted, in order, once per time they were accepted. */
  readonly accepted: string[] = [];
  private readonly replies: Reply[] = [];
  fallback: Reply = acceptAll;

  reply(...replies: Reply[]): this {
    this.replies.push(...replies);
    return this;
  }

  readonly send = async (events: readonly ShopEvent[], options: SendOptions): Promise<EventsAnswer> => {
    this.calls.push({ events: [...events], keepalive: options.keepalive });
    const answer = await (this.replies.shift() ?? this.fallback)(events);
    events.forEach((event, index) => {
      if (!answer.retry.includes(index)) this.accepted.push(event.eventId);
    });
    return answer;
  };

  eventIdsOfCall(call: number): string[] {
    return this.calls[call]!.events.map((event) => event.eventId);
  }
}

const view = (productId: string): TrackedEvent => ({ type: 'product_view', productId });

let api: FakeEventsApi;
let storage: MemoryStorage;
let signedIn: string | undefined;
let uuids: number;
const trackers: ClickstreamTracker[] = [];

function tracker(options: Partial<ClickstreamTrackerOptions> = {}): ClickstreamTracker {
  const created = new ClickstreamTracker({
    eventsUrl: 'https://api.example.com/prod/events',
    userId: () => signedIn,
    storage,
    send: api.send,
    now: () => new Date(),
    randomUUID: () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, '0')}`,
    ...options,
  });
  trackers.push(created);
  return created;
}

/** Tracks `count` product views, p-0 to p-(count-1), and returns their event ids. */
function trackViews(clickstream: ClickstreamTracker, count: number, from = 0): string[] {
  const before = uuids;
  for (let index = from; index < from + count; index++) clickstream.track(view(`p-${index}`));
  return Array.from(
    { length: uuids - before },
    (_, index) => `00000000-0000-4000-8000-${String(before + index + 1).padStart(12, '0')}`,
  );
}

/** Lets pending sends settle without moving the clock. */
const settle = () => jest.advanceTimersByTimeAsync(0);

function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-11-25T20:34:56.789Z') });
  api = new FakeEventsApi();
  storage = new MemoryStorage();
  signedIn = undefined;
  uuids = 0;
});

afterEach(() => {
  trackers.splice(0).forEach((created) => created.stop());
  setVisibility('visible');
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('ClickstreamTracker', () => {
  describe('batching', () => {
    it('sends 25 events at once, in one request, without waiting for the interval', async () => {
      const clickstream = tracker();
      const ids = trackViews(clickstream, 24);
      await settle();
      expect(api.calls).toHaveLength(0);

      ids.push(...trackViews(clickstream, 1, 24));
      await settle();

      expect(api.calls).toHaveLength(1);
      expect(api.eventIdsOfCall(0)).toEqual(ids);
      expect(clickstream.diagnostics).toMatchObject({ queued: 0, sent: 25 });
    });

    it('sends a partial batch 5 seconds after the first event', async () => {
      const clickstream = tracker();
      trackViews(clickstream, 2);
      await jest.advanceTimersByTimeAsync(3_000);
      trackViews(clickstream, 1, 2);
      await jest.advanceTimersByTimeAsync(1_999);
      expect(api.calls).toHaveLength(0);

      await jest.advanceTimersByTimeAsync(1);

      expect(api.calls).toHaveLength(1);
      expect(api.calls[0]!.events.map((event) => event.productId)).toEqual(['p-0', 'p-1', 'p-2']);
      expect(api.calls[0]!.keepalive).toBe(false);
    });

    it('sends everything queued in batches of 25 on flush()', async () => {
      const clickstream = tracker({ flushIntervalMs: 60_000 });
      // Queued while the first full batch is on its way.
      const ids = trackViews(clickstream, 60);

      await clickstream.flush();

      expect(api.calls.map((call) => call.events.length)).toEqual([25, 25, 10]);
      expect(api.accepted).toEqual(ids);
    });

    it('never makes track() wait or throw, even when storage refuses to write', async () => {
      const full = new MemoryStorage();
      jest.spyOn(full, 'setItem').mockImplementation(() => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      });
      const clickstream = tracker({ storage: full });

      expect(clickstream.track(view('p-1'))).toBeUndefined();
      await jest.advanceTimersByTimeAsync(5_000);

      expect(api.calls).toHaveLength(1);
    });
  });

  describe('each event', () => {
    it('gets an event id, the session id and the time; and the shopper id while signed in', async () => {
      const clickstream = tracker();
      clickstream.track({ type: 'search', query: 'skillet' });
      jest.setSystemTime(new Date('2026-11-25T20:35:00.000Z'));
      signedIn = 'cognito-sub-42';
      clickstream.track({ type: 'purchase', productId: 'p-1', price: 3499, quantity: 2, orderId: 'ord_1' });
      await clickstream.flush();

      const [anonymous, shopper] = api.calls[0]!.events;
      expect(anonymous).toEqual({
        type: 'search',
        query: 'skillet',
        eventId: '00000000-0000-4000-8000-000000000002',
        sessionId: clickstream.sessionId,
        timestamp: '2026-11-25T20:34:56.789Z',
      });
      expect(anonymous).not.toHaveProperty('userId');
      expect(shopper).toEqual({
        type: 'purchase',
        productId: 'p-1',
        price: 3499,
        quantity: 2,
        orderId: 'ord_1',
        eventId: '00000000-0000-4000-8000-000000000003',
        sessionId: clickstream.sessionId,
        userId: 'cognito-sub-42',
        timestamp: '2026-11-25T20:35:00.000Z',
      });
    });

    it('uses crypto.randomUUID and the clock by default', async () => {
      const clickstream = tracker({ randomUUID: undefined, now: undefined });
      clickstream.track({ type: 'page_view' });
      await clickstream.flush();

      const [event] = api.calls[0]!.events;
      expect(event!.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(clickstream.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(event!.timestamp).toBe('2026-11-25T20:34:56.789Z');
    });
  });

  describe('session', () => {
    it('keeps one session id across trackers over the same storage, and a new one for a new storage', () => {
      const first = tracker();
      const reloaded = tracker();
      const otherTab = tracker({ storage: new MemoryStorage() });

      expect(reloaded.sessionId).toBe(first.sessionId);
      expect(otherTab.sessionId).not.toBe(first.sessionId);
    });

    it('keeps the session in the tab’s sessionStorage by default', () => {
      window.sessionStorage.clear();
      const first = tracker({ storage: undefined });
      const reloaded = tracker({ storage: undefined });

      expect(reloaded.sessionId).toBe(first.sessionId);
      expect(window.sessionStorage.getItem('clickstream.sessionId')).toBe(first.sessionId);
      window.sessionStorage.clear();
    });
  });

  describe('when a send fails', () => {
    it('backs off exponentially with jitter, up to 60 seconds', () => {
      expect([1, 2, 3, 4, 5, 6].map((failures) => retryDelayMs(failures, 0.999_999))).toEqual([
        1_000, 2_000, 4_000, 8_000, 16_000, 32_000,
      ]);
      expect(retryDelayMs(7, 0.999_999)).toBe(60_000);
      expect(retryDelayMs(30, 0.999_999)).toBe(60_000);
      // The jitter takes off up to half.
      expect(retryDelayMs(1, 0)).toBe(500);
      expect(retryDelayMs(7, 0)).toBe(30_000);
    });

    it('sends the batch again after the backoff, losing and duplicating nothing', async () => {
      jest.spyOn(Math, 'random').mockReturnValue(0.999_999);
      api.reply(refuse(503), networkDown, refuse(429));
      const clickstream = tracker();
      const ids = trackViews(clickstream, 25);
      await settle();
      expect(api.calls).toHaveLength(1);

      // Tracked during the outage: they wait behind the batch that failed.
      ids.push(...trackViews(clickstream, 30, 25));
      await jest.advanceTimersByTimeAsync(999);
      expect(api.calls).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(api.calls).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1_999);
      expect(api.calls).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1);
      expect(api.calls).toHaveLength(3);
      await jest.advanceTimersByTimeAsync(4_000);

      expect(api.calls.map((call) => call.events.length)).toEqual([25, 25, 25, 25, 25, 5]);
      expect(api.calls.slice(0, 4).map((_, call) => api.eventIdsOfCall(call))).toEqual(
        Array.from({ length: 4 }, () => ids.slice(0, 25)),
      );
      expect(api.accepted).toEqual(ids);
      expect(clickstream.diagnostics).toEqual({ queued: 0, sent: 55, dropped: 0, rejected: 0, abandoned: 0 });
    });

    it('sends again exactly the events the API names in retry, and only those', async () => {
      jest.spyOn(Math, 'random').mockReturnValue(0.999_999);
      api.reply(retryAt(3, 17), retryAt(1));
      const clickstream = tracker();
      const ids = trackViews(clickstream, 25);
      await settle();

      await jest.advanceTimersByTimeAsync(1_000);
      expect(api.eventIdsOfCall(1)).toEqual([ids[3], ids[17]]);
      await jest.advanceTimersByTimeAsync(2_000);
      expect(api.eventIdsOfCall(2)).toEqual([ids[17]]);

      expect(api.calls).toHaveLength(3);
      expect([...api.accepted].sort()).toEqual([...ids].sort());
      expect(new Set(api.accepted).size).toBe(25);
      expect(clickstream.diagnostics).toMatchObject({ queued: 0, sent: 25 });
    });

    it('drops a batch the API refuses with 400, warns with its message, and moves on', async () => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      api.reply(() =>
        Promise.reject(
          new ApiError('Invalid request', 400, 'req-1', [
            { path: '(request)', message: 'instance value ("teleport") not found in enum' },
          ]),
        ),
      );
      const clickstream = tracker();
      const ids = trackViews(clickstream, 30);
      await settle();

      expect(api.calls.map((call) => call.events.length)).toEqual([25, 5]);
      expect(api.accepted).toEqual(ids.slice(25));
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/refused 25 events with HTTP 400.*Invalid request.*teleport/),
      );
      expect(clickstream.diagnostics).toEqual({ queued: 0, sent: 5, dropped: 0, rejected: 25, abandoned: 0 });

      await jest.advanceTimersByTimeAsync(120_000);
      expect(api.calls).toHaveLength(2);
    });

    it(`gives an event up after ${MAX_SEND_ATTEMPTS} refusals, with a warning`, async () => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      api.fallback = refuse(500, 'Internal server error');
      const clickstream = tracker();
      trackViews(clickstream, 3);

      await jest.advanceTimersByTimeAsync(60 * 60_000);

      expect(api.calls).toHaveLength(MAX_SEND_ATTEMPTS);
      expect(clickstream.diagnostics).toEqual({ queued: 0, sent: 0, dropped: 0, rejected: 0, abandoned: 3 });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`refused ${MAX_SEND_ATTEMPTS} times`));
      expect(storage.getItem('clickstream.queue')).toBeNull();
    });

    it('keeps retrying, every minute at most, while the network is down', async () => {
      api.fallback = networkDown;
      const clickstream = tracker();
      trackViews(clickstream, 3);

      await jest.advanceTimersByTimeAsync(60 * 60_000);
      const attempts = api.calls.length;
      expect(attempts).toBeGreaterThan(50);
      expect(clickstream.diagnostics).toMatchObject({ queued: 3, abandoned: 0 });

      api.fallback = acceptAll;
      await jest.advanceTimersByTimeAsync(60_000);
      expect(clickstream.diagnostics).toMatchObject({ queued: 0, sent: 3 });
    });
  });

  describe('bounded queue', () => {
    it('keeps the newest 1,000 events and counts the oldest it dropped', async () => {
      api.fallback = networkDown;
      const clickstream = tracker();
      const ids = trackViews(clickstream, 1_010);
      await settle();

      expect(clickstream.diagnostics).toMatchObject({ queued: 1_000, dropped: 10 });
      expect(JSON.parse(storage.getItem('clickstream.queue')!)).toHaveLength(1_000);

      api.fallback = acceptAll;
      await jest.advanceTimersByTimeAsync(60_000);

      expect(api.accepted).toEqual(ids.slice(10));
      expect(clickstream.diagnostics).toEqual({
        queued: 0,
        sent: 1_000,
        dropped: 10,
        rejected: 0,
        abandoned: 0,
      });
    });

    it('drops the oldest first when a failed batch comes back to a full queue', async () => {
      let fail: () => void = () => undefined;
      api.reply(
        () => new Promise<EventsAnswer>((_, reject) => (fail = () => reject(new ApiError('Offline', 0)))),
      );
      const clickstream = tracker({ maxQueueSize: 30 });
      const ids = trackViews(clickstream, 25);
      await settle();
      // The first 25 are on their way when 10 more come, and then they fail.
      ids.push(...trackViews(clickstream, 10, 25));
      expect(clickstream.diagnostics).toMatchObject({ queued: 35, dropped: 0 });
      fail();
      await settle();

      expect(clickstream.diagnostics).toMatchObject({ queued: 30, dropped: 5 });
      await jest.advanceTimersByTimeAsync(60_000);
      expect(api.accepted).toEqual(ids.slice(5));
    });
  });

  describe('persistence', () => {
    it('keeps unsent events in storage, and a tracker over it (the next page) sends them', async () => {
      const page = tracker();
      const ids = trackViews(page, 3);
      page.stop();

      const nextPage = tracker();
      expect(nextPage.diagnostics.queued).toBe(3);
      trackViews(nextPage, 1, 3);
      await jest.advanceTimersByTimeAsync(5_000);

      expect(api.calls).toHaveLength(1);
      expect(api.eventIdsOfCall(0).slice(0, 3)).toEqual(ids);
      expect(api.calls[0]!.events.every((event) => event.sessionId === page.sessionId)).toBe(true);
      expect(storage.getItem('clickstream.queue')).toBeNull();
    });

    it('keeps the events of a request not answered yet, in case the page goes away', async () => {
      api.reply(() => new Promise<EventsAnswer>(() => undefined));
      const page = tracker();
      const ids = trackViews(page, 25);
      await settle();
      expect(api.calls).toHaveLength(1);
      // Written to storage while the 25 are on their way.
      ids.push(...trackViews(page, 1, 25));
      page.stop();

      const nextPage = tracker();
      expect(nextPage.diagnostics.queued).toBe(26);
      await nextPage.flush();

      expect(api.calls.slice(1).flatMap((_, call) => api.eventIdsOfCall(call + 1))).toEqual(ids);
    });

    it('ignores a stored queue it cannot read', async () => {
      storage.setItem('clickstream.queue', '{not json');
      expect(tracker().diagnostics.queued).toBe(0);

      storage.setItem('clickstream.queue', JSON.stringify([{ nonsense: true }, null, 3]));
      expect(tracker().diagnostics.queued).toBe(0);
    });
  });

  describe('when the page is hidden', () => {
    it('sends everything queued at once with keepalive, and does not keep it for the next page', async () => {
      const clickstream = tracker();
      clickstream.start();
      trackViews(clickstream, 25);
      await settle();
      const ids = trackViews(clickstream, 3, 25);
      expect(JSON.parse(storage.getItem('clickstream.queue')!)).toHaveLength(3);

      setVisibility('hidden');

      expect(api.calls).toHaveLength(2);
      expect(api.calls[1]!.keepalive).toBe(true);
      expect(api.eventIdsOfCall(1)).toEqual(ids);
      expect(storage.getItem('clickstream.queue')).toBeNull();
      await settle();
      expect(clickstream.diagnostics).toMatchObject({ queued: 0, sent: 28 });
    });

    it('sends with keepalive on pagehide', () => {
      const clickstream = tracker();
      clickstream.start();
      trackViews(clickstream, 2);

      window.dispatchEvent(new Event('pagehide'));

      expect(api.calls).toEqual([{ events: expect.any(Array), keepalive: true }]);
    });

    it('sends no more than keepalive requests may carry; the rest waits in storage', () => {
      api.fallback = networkDown;
      const clickstream = tracker({ flushIntervalMs: 60_000 });
      clickstream.start();
      // About 6 KB a batch of 25: about 10 batches fit in 64 KB.
      trackViews(clickstream, 500);
      api.calls.length = 0;

      setVisibility('hidden');

      const sent = api.calls.reduce((count, call) => count + call.events.length, 0);
      expect(api.calls.every((call) => call.keepalive)).toBe(true);
      expect(
        new Blob([JSON.stringify(api.calls.map((call) => ({ events: call.events })))]).size,
      ).toBeLessThanOrEqual(64 * 1024);
      expect(sent).toBeGreaterThan(100);
      expect(JSON.parse(storage.getItem('clickstream.queue')!)).toHaveLength(500 - sent);
    });

    it('puts back a keepalive batch that failed while the page is still there', async () => {
      api.reply(networkDown);
      const clickstream = tracker();
      clickstream.start();
      const ids = trackViews(clickstream, 2);

      setVisibility('hidden');
      await settle();

      expect(clickstream.diagnostics.queued).toBe(2);
      setVisibility('visible');
      await jest.advanceTimersByTimeAsync(60_000);
      expect(api.accepted).toEqual(ids);
    });

    it('stops listening once stopped', () => {
      const clickstream = tracker();
      clickstream.start();
      trackViews(clickstream, 2);
      clickstream.stop();

      setVisibility('hidden');
      window.dispatchEvent(new Event('pagehide'));

      expect(api.calls).toHaveLength(0);
    });
  });
});
