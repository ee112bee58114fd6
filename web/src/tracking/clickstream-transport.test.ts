/** @jest-environment node */
import type { ShopEvent } from '../../../services/clickstream/domain/shop-event';
import { ApiError } from '../api/api-error';
import {
  startJsonServer,
  unreachableUrl,
  type JsonServer,
  type ReceivedRequest,
} from '../testing/json-server';
import { postEvents } from './clickstream-transport';

/** Answers POST /events the way the API does; `answer` decides the status and body of each call. */
let answer: (events: unknown[]) => { status: number; body: unknown };
let server: JsonServer;
let received: ReceivedRequest[];
let eventsUrl: string;

beforeAll(async () => {
  server = await startJsonServer();
  server.answer = (request) => answer((JSON.parse(request.body) as { events: unknown[] }).events);
  eventsUrl = `${server.url}/prod/events`;
});

afterAll(() => server.close());

beforeEach(() => {
  server.received.length = 0;
  received = server.received;
  answer = (events) => ({ status: 200, body: { accepted: events.length, failed: 0, retry: [] } });
});

const event = (index: number): ShopEvent => ({
  eventId: `6f1c2b1e-8a57-4a39-9d1e-3c0a5f4b2d1${index}`,
  type: 'search',
  sessionId: 'session-1',
  query: `say "hi" é 😀 ${index}`,
  timestamp: '2026-11-25T20:34:56.789Z',
});

describe('postEvents, the default transport of the clickstream tracker', () => {
  it('POSTs { events } as JSON and reads the answer', async () => {
    const events = [event(0), event(1)];

    const result = await postEvents(eventsUrl)(events, { keepalive: false });

    expect(result).toEqual({ accepted: 2, failed: 0, retry: [] });
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe('POST');
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(received[0]!.headers.accept).toBe('application/json');
    expect(received[0]!.headers.cookie).toBeUndefined();
    expect(JSON.parse(received[0]!.body)).toEqual({ events });
  });

  it('gives the indexes the API asks to send again', async () => {
    answer = () => ({ status: 200, body: { accepted: 1, failed: 2, retry: [0, 2] } });

    const result = await postEvents(eventsUrl)([event(0), event(1), event(2)], { keepalive: false });

    expect(result).toEqual({ accepted: 1, failed: 2, retry: [0, 2] });
  });

  it('ignores retry indexes outside the batch, and an answer without retry retries nothing', async () => {
    answer = () => ({ status: 200, body: { accepted: 0, failed: 3, retry: [1, 1, -1, 7, 'x', 0.5] } });
    expect((await postEvents(eventsUrl)([event(0), event(1)], { keepalive: false })).retry).toEqual([1]);

    answer = () => ({ status: 200, body: { accepted: 2, failed: 0 } });
    expect(await postEvents(eventsUrl)([event(0), event(1)], { keepalive: false })).toEqual({
      accepted: 2,
      failed: 0,
      retry: [],
    });
  });

  it('asks fetch to keep the request alive when the page is being hidden, and only then', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    const send = postEvents(eventsUrl);

    await send([event(0)], { keepalive: true });
    await send([event(1)], { keepalive: false });

    expect(fetchSpy.mock.calls.map(([, init]) => init?.keepalive)).toEqual([true, undefined]);
    fetchSpy.mockRestore();
    expect(received.map((request) => JSON.parse(request.body).events[0].eventId)).toEqual([
      event(0).eventId,
      event(1).eventId,
    ]);
  });

  it('rejects a 400 with its status and the API’s message and field errors', async () => {
    answer = () => ({
      status: 400,
      body: {
        message: 'Invalid request',
        errors: [{ path: '(request)', message: 'instance value ("teleport") not found in enum' }],
        requestId: 'req-1',
      },
    });

    const failure = await postEvents(eventsUrl)([event(0)], { keepalive: false }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 400,
      message: 'Invalid request',
      requestId: 'req-1',
      fieldErrors: [{ message: 'instance value ("teleport") not found in enum' }],
    });
  });

  it('rejects a 503 with its status', async () => {
    answer = () => ({
      status: 503,
      body: { message: 'Events cannot be received right now, try again later' },
    });

    await expect(postEvents(eventsUrl)([event(0)], { keepalive: false })).rejects.toMatchObject({
      status: 503,
    });
  });

  it('rejects with status 0 when the API cannot be reached', async () => {
    await expect(
      postEvents(`${await unreachableUrl()}/events`)([event(0)], { keepalive: false }),
    ).rejects.toMatchObject({ status: 0 });
  });

  describe('where fetch cannot keep a request alive', () => {
    it('sends a hidden page’s batch by beacon, as JSON, and counts it accepted once queued', async () => {
      const fetchSpy = jest.spyOn(globalThis, 'fetch');
      const sendBeacon = jest.fn((_url: string, _data: Blob) => true);
      const send = postEvents(eventsUrl, { sendBeacon });

      expect(await send([event(0), event(1)], { keepalive: true })).toEqual({
        accepted: 2,
        failed: 0,
        retry: [],
      });
      await send([event(2)], { keepalive: false });

      expect(sendBeacon).toHaveBeenCalledTimes(1);
      const [url, data] = sendBeacon.mock.calls[0]!;
      expect(url).toBe(eventsUrl);
      expect(data.type).toBe('application/json');
      expect(JSON.parse(await data.text())).toEqual({ events: [event(0), event(1)] });
      expect(fetchSpy).toHaveBeenCalledTimes(1);
      fetchSpy.mockRestore();
    });

    it('rejects with status 0 when the browser refuses the beacon, so that the batch stays queued', async () => {
      const refused = postEvents(eventsUrl, { sendBeacon: () => false });
      const throwing = postEvents(eventsUrl, {
        sendBeacon: () => {
          throw new TypeError('Beacons of this type are not allowed');
        },
      });

      await expect(refused([event(0)], { keepalive: true })).rejects.toMatchObject({ status: 0 });
      await expect(throwing([event(0)], { keepalive: true })).rejects.toMatchObject({ status: 0 });
    });
  });
});
