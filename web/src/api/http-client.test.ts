/** @jest-environment node */
import { startJsonServer, unreachableUrl, type JsonServer } from '../testing/json-server';
import { ApiError } from './api-error';
import { requestJson } from './http-client';

let server: JsonServer;

beforeAll(async () => {
  server = await startJsonServer();
});

afterAll(() => server.close());

beforeEach(() => {
  server.received.length = 0;
});

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('requestJson', () => {
  it('sends JSON with the query it is given, leaving out empty values, and reads the JSON answer', async () => {
    server.answer = () => ({ status: 201, body: { orderId: 'ord_1' } });

    const response = await requestJson<{ orderId: string }>(new URL(`${server.url}/v1/orders`), {
      method: 'POST',
      body: { items: [{ productId: 'kit-0001', quantity: 2 }] },
      query: { limit: 5, nextToken: undefined, q: '' },
      headers: { 'Idempotency-Key': 'key-1' },
    });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ orderId: 'ord_1' });
    const [request] = server.received;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/orders?limit=5' });
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': 'key-1',
    });
    expect(JSON.parse(request!.body)).toEqual({ items: [{ productId: 'kit-0001', quantity: 2 }] });
  });

  it("turns a 4xx into an ApiError with the API's message, field errors and request id", async () => {
    server.answer = () => ({
      status: 400,
      body: {
        message: 'Invalid query',
        errors: [{ path: 'limit', message: 'from 1 to 100' }],
        requestId: 'r-1',
      },
    });

    const failure = await failureOf(requestJson(new URL(`${server.url}/products`)));

    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 400,
      message: 'Invalid query',
      requestId: 'r-1',
      fieldErrors: [{ path: 'limit', message: 'from 1 to 100' }],
      retryable: false,
    });
  });

  it('shows a 5xx with a message of its own, never what the server said, and marks it retryable', async () => {
    server.answer = () => ({
      status: 502,
      body: { message: 'upstream connect error: 10.0.3.7:443', requestId: 'r-2' },
    });

    const failure = await failureOf(requestJson(new URL(`${server.url}/products`)));

    expect(failure).toMatchObject({
      status: 502,
      message: 'Something went wrong on our side. Try again later.',
      requestId: 'r-2',
      retryable: true,
    });
  });

  it('reads an answer that is not JSON as a failure with a message of its own', async () => {
    server.answer = () => ({ status: 403, body: undefined });
    await expect(requestJson(new URL(`${server.url}/analytics/realtime`))).rejects.toMatchObject({
      status: 403,
      message: 'You do not have access to this page.',
    });
  });

  it('says the shop cannot be reached when nothing answers, or nothing answers in time', async () => {
    const unreachable = await failureOf(requestJson(new URL(`${await unreachableUrl()}/products`)));
    expect(unreachable).toMatchObject({ status: 0, retryable: true });
    expect((unreachable as Error).message).toBe(
      'The shop could not be reached. Check your connection and try again.',
    );

    server.answer = () => ({ status: 200, body: {}, delayMs: 500 });
    await expect(requestJson(new URL(`${server.url}/products`), { timeoutMs: 50 })).rejects.toMatchObject({
      status: 0,
    });
  });

  it('lets a request its caller cancelled end as cancelled, not as a failure to show', async () => {
    server.answer = () => ({ status: 200, body: {}, delayMs: 500 });
    const controller = new AbortController();
    const request = requestJson(new URL(`${server.url}/products`), { signal: controller.signal });
    controller.abort();
    const failure = await failureOf(request);
    expect(failure).not.toBeInstanceOf(ApiError);
    expect((failure as Error).name).toBe('AbortError');
  });
});
