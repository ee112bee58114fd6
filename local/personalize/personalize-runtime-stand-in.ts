import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Amazon Personalize Runtime API on 127.0.0.1: `POST /recommendations`
 * (GetRecommendations, REST-JSON, as the SDK client sends it), served to the real SDK client. It
 * validates a call as Personalize does (one campaign or one recommender, `numResults` 1 to 500,
 * an item or a user), answers with the items it was given for that campaign or recommender
 * (unknown ARNs are a 404 `ResourceNotFoundException`, as for a deleted campaign), records every
 * call, and can be told to fail (HTTP 500) or to be slow, as when Personalize is down or degraded.
 */
export interface PersonalizeRuntimeStandIn {
  readonly endpoint: string;
  /** Every GetRecommendations call received, in order (failed and slow ones included). */
  readonly calls: readonly GetRecommendationsCall[];
  /**
   * Serves `items` (best first) for the campaign or recommender `arn`; a function chooses them per
   * call (by its user or item, say). Replaces what the ARN served before.
   */
  serve(
    arn: string,
    items: readonly CannedItem[] | ((call: GetRecommendationsCall) => readonly CannedItem[]),
  ): void;
  /** Answers with HTTP 500 `InternalServerError` (`times` calls, or until `clearFaults`). */
  fail(fault?: { readonly times?: number }): void;
  /** Answers `delayMs` late (`times` calls, or until `clearFaults`); a call its client gives up on is dropped. */
  slow(delayMs: number, fault?: { readonly times?: number }): void;
  clearFaults(): void;
  /** Forgets the calls, the faults and what each ARN serves. */
  reset(): void;
  stop(): Promise<void>;
}

/** An item id, or one with the score Personalize gives it. */
export type CannedItem = string | { readonly itemId: string; readonly score?: number };

export interface GetRecommendationsCall {
  readonly campaignArn?: string;
  readonly recommenderArn?: string;
  readonly itemId?: string;
  readonly userId?: string;
  readonly numResults: number;
  readonly filterArn?: string;
  readonly filterValues?: Readonly<Record<string, string>>;
  readonly context?: Readonly<Record<string, string>>;
}

export interface PersonalizeRuntimeStandInOptions {
  /** @default a free port */
  readonly port?: number;
}

/** Personalize's default and largest `numResults`. */
const DEFAULT_RESULTS = 25;
const MAX_RESULTS = 500;

class PersonalizeError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function startPersonalizeRuntimeStandIn(
  options: PersonalizeRuntimeStandInOptions = {},
): Promise<PersonalizeRuntimeStandIn> {
  const calls: GetRecommendationsCall[] = [];
  const served = new Map<string, (call: GetRecommendationsCall) => readonly CannedItem[]>();
  let failure: { remaining: number } | undefined;
  let slowness: { delayMs: number; remaining: number } | undefined;
  const pendingTimers = new Set<ReturnType<typeof setTimeout>>();
  const clearFaults = () => {
    failure = undefined;
    slowness = undefined;
  };

  const getRecommendations = (call: GetRecommendationsCall) => {
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      throw new PersonalizeError('InternalServerError', 'Personalize is unavailable (injected fault).', 500);
    }
    const arn = call.recommenderArn ?? call.campaignArn ?? '';
    const items = served.get(arn);
    if (!items) throw new PersonalizeError('ResourceNotFoundException', `${arn} does not exist.`, 404);
    return {
      itemList: items(call)
        .slice(0, call.numResults)
        .map((item) => (typeof item === 'string' ? { itemId: item } : item)),
      recommendationId: `RID-${calls.length}`,
    };
  };

  const server = http.createServer((request, response) => {
    void handle(request, response);
  });
  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    let status = 200;
    let headers: Record<string, string> = { 'content-type': 'application/json' };
    let body: string;
    try {
      const text = await bodyOf(request);
      if (request.method !== 'POST' || request.url?.split('?')[0] !== '/recommendations') {
        throw new PersonalizeError(
          'UnknownOperationException',
          `${request.method} ${request.url} is not served here`,
          404,
        );
      }
      const call = callOf(JSON.parse(text || '{}'));
      calls.push(call);
      const delayMs = slowness && slowness.remaining > 0 ? slowness.delayMs : 0;
      if (slowness && delayMs > 0) slowness.remaining -= 1;
      if (delayMs > 0) {
        const gone = await delay(delayMs, request, pendingTimers);
        if (gone) return;
      }
      body = JSON.stringify(getRecommendations(call));
    } catch (error) {
      const failed =
        error instanceof PersonalizeError
          ? error
          : new PersonalizeError('InvalidInputException', (error as Error).message, 400);
      status = failed.status;
      headers = { ...headers, 'x-amzn-errortype': failed.type };
      body = JSON.stringify({ message: failed.message });
    }
    if (response.destroyed) return;
    response.writeHead(status, headers);
    response.end(body);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    serve: (arn, items) => {
      served.set(arn, typeof items === 'function' ? items : () => items);
    },
    fail: ({ times = Infinity } = {}) => {
      failure = { remaining: times };
    },
    slow: (delayMs, { times = Infinity } = {}) => {
      slowness = { delayMs, remaining: times };
    },
    clearFaults,
    reset: () => {
      calls.length = 0;
      served.clear();
      clearFaults();
    },
    stop: () => {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** The call, validated as Personalize validates it. @throws PersonalizeError 400 `InvalidInputException` */
function callOf(body: Record<string, unknown>): GetRecommendationsCall {
  const invalid = (message: string) => new PersonalizeError('InvalidInputException', message, 400);
  const { campaignArn, recommenderArn, itemId, userId, numResults, filterArn, filterValues, context } = body;
  const text = (name: string, value: unknown) => {
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      throw invalid(`${name} must be a non-empty string`);
  };
  for (const [name, value] of Object.entries({ campaignArn, recommenderArn, itemId, userId, filterArn })) {
    text(name, value);
  }
  if ((campaignArn === undefined) === (recommenderArn === undefined)) {
    throw invalid('Provide either a campaignArn or a recommenderArn, not both');
  }
  if (itemId === undefined && userId === undefined && campaignArn !== undefined) {
    throw invalid('Provide an itemId or a userId');
  }
  if (filterArn !== undefined && userId === undefined && itemId === undefined) {
    throw invalid('A filter needs a userId or an itemId');
  }
  const results = numResults ?? DEFAULT_RESULTS;
  if (typeof results !== 'number' || !Number.isInteger(results) || results < 1 || results > MAX_RESULTS) {
    throw invalid(`numResults must be a whole number from 1 to ${MAX_RESULTS}`);
  }
  return {
    ...(campaignArn !== undefined && { campaignArn: campaignArn as string }),
    ...(recommenderArn !== undefined && { recommenderArn: recommenderArn as string }),
    ...(itemId !== undefined && { itemId: itemId as string }),
    ...(userId !== undefined && { userId: userId as string }),
    numResults: results,
    ...(filterArn !== undefined && { filterArn: filterArn as string }),
    ...(filterValues !== undefined && { filterValues: filterValues as Record<string, string> }),
    ...(context !== undefined && { context: context as Record<string, string> }),
  };
}

/** Waits `ms`; true when the client went away meanwhile. */
function delay(
  ms: number,
  request: http.IncomingMessage,
  timers: Set<ReturnType<typeof setTimeout>>,
): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      timers.delete(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      timers.delete(timer);
      request.socket.off('close', onClose);
      resolve(false);
    }, ms);
    timers.add(timer);
    request.socket.once('close', onClose);
  });
}

function bodyOf(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
