// A real HTTP server for the storefront's client tests (run them with `@jest-environment node`).
// Node's `http` is loaded with the little of its types used here restated: the web tsconfig has no
// Node types (they would leak into the storefront's code).
interface IncomingRequest {
  readonly method?: string;
  readonly url?: string;
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
  closeAllConnections(): void;
}
const { createServer } = jest.requireActual<{
  createServer(handler?: (request: IncomingRequest, response: ServerResponse) => void): Server;
}>('node:http');

/** A request as the server received it. */
export interface ReceivedRequest {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingRequest['headers'];
  readonly body: string;
}

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
  /** Waits this long before answering. */
  readonly delayMs?: number;
}

export interface JsonServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request so far, oldest first. */
  readonly received: ReceivedRequest[];
  /** How the server answers the next requests; `200 {}` until set. */
  answer: (request: ReceivedRequest) => JsonAnswer;
  close(): Promise<void>;
}

/** Starts a server on a free local port that records each request and answers it with JSON. */
export async function startJsonServer(): Promise<JsonServer> {
  const state: JsonServer = {
    url: '',
    received: [],
    answer: () => ({ status: 200, body: {} }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const received = { method: request.method, url: request.url, headers: request.headers, body };
      state.received.push(received);
      const { status, body: answerBody, delayMs = 0 } = state.answer(received);
      setTimeout(() => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answerBody));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, { url: `http://127.0.0.1:${server.address().port}` });
}

/** A URL nothing listens on: a port that was free a moment ago. */
export async function unreachableUrl(): Promise<string> {
  const closed = await startJsonServer();
  await closed.close();
  return closed.url;
}
