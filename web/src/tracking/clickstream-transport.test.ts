/** @jest-environment node */
import type { ShopEvent } from '../../../services/clickstream/domain/shop-event';
import { ApiError } from '../api/api-error';
import { postEvents } from './clickstream-transport';

// Node's HTTP server, loaded with the little of its types used here restated: the web tsconfig has no
// Node types (they would leak into the storefront's code).
interface IncomingRequest {
  readonly method?: string;
  readonly headers: Record<string, string | string[] | undefined>;
  setEncoding(encoding: 'utf8'): void;
  on(event: 'data', listener: (chunk: string) => void): void;
  on(event: 'end', listener: () => void): void;
}
interface ServerResponse {
  writeHead(status: number, headers: Record<string, string>): void;
  end(body: string): void;
}
interface Server {
  listen(port: number, host: string, listening: () => void): void;
  address(): { port: number };
  close(closed: () => void): void;
}
const { createServer } = jest.requireActual<{
  createServer(handler?: (request: IncomingRequest, response: ServerResponse) => void): Server;
}>('node:http');

/** What the server received. */
interface Received {
  readonly method: string | undefined;
  readonly headers: IncomingRequest['headers'];
  readonly body: string;
}

/** Answers POST /events the way the API does; `answer` decides the status and body of each call. */
let answer: (events: unknown[]) => { status: number; body: unknown };
let received: Received[];
let server: Server;
let eventsUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method, headers: request.headers, body });
      const { status, body: answerBody } = answer((JSON.parse(body) as { events: unknown[] }).events);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answerBody));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  eventsUrl = `http://127.0.0.1:${server.address().port}/prod/events`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received = [];
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
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address();
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    await expect(
      postEvents(`http://127.0.0.1:${port}/events`)([event(0)], { keepalive: false }),
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
