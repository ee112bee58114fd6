import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for an Amazon Personalize event tracker on 127.0.0.1: the Personalize Events REST
 * API's `POST /events` (PutEvents), served to the real SDK client. It validates a call as
 * Personalize does (tracking id, session id, 1 to 10 events, `sentAt` in epoch seconds), records
 * the events it accepts, and can be told to fail, as when Personalize is down or throttling.
 */
export interface PersonalizeEventsStandIn {
  readonly endpoint: string;
  /** Every PutEvents call accepted, in order. */
  readonly calls: readonly PutEventsCall[];
  /** The events of every accepted call, each with its call's user, session and tracking id. */
  events(): RecordedEvent[];
  /** Answers PutEvents with an error: HTTP 500, or 429 `ThrottlingException` when `throttle` is set. */
  fail(fault?: PersonalizeFault): void;
  clearFaults(): void;
  /** Forgets the calls and the faults. */
  reset(): void;
  stop(): Promise<void>;
}

export interface PutEventsCall {
  readonly trackingId: string;
  readonly sessionId: string;
  readonly userId?: string;
  readonly eventList: readonly PersonalizeEvent[];
}

export interface PersonalizeEvent {
  readonly eventType: string;
  /** When the event happened, epoch seconds. */
  readonly sentAt: number;
  readonly eventId?: string;
  readonly itemId?: string;
  readonly eventValue?: number;
  readonly properties?: string;
}

export interface RecordedEvent extends PersonalizeEvent {
  readonly trackingId: string;
  readonly sessionId: string;
  readonly userId?: string;
}

export interface PersonalizeFault {
  /** Answer 429 `ThrottlingException` instead of 500 `InternalServerError`. */
  readonly throttle?: boolean;
  /** @default no limit */
  readonly times?: number;
}

export interface PersonalizeEventsStandInOptions {
  /** @default a free port */
  readonly port?: number;
}

const MAX_EVENTS_PER_CALL = 10;

class PersonalizeError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function startPersonalizeEventsStandIn(
  options: PersonalizeEventsStandInOptions = {},
): Promise<PersonalizeEventsStandIn> {
  const calls: PutEventsCall[] = [];
  let fault: { throttle: boolean; remaining: number } | undefined;
  const clearFaults = () => {
    fault = undefined;
  };

  const putEvents = (body: Record<string, unknown>) => {
    if (fault && fault.remaining > 0) {
      fault.remaining -= 1;
      throw fault.throttle
        ? new PersonalizeError('ThrottlingException', 'Rate exceeded (injected fault).', 429)
        : new PersonalizeError('InternalServerError', 'Personalize is unavailable (injected fault).', 500);
    }
    calls.push(putEventsCallOf(body));
  };

  const server = http.createServer((request, response) => {
    void handle(request, response);
  });
  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    try {
      const body = await bodyOf(request);
      if (request.method !== 'POST' || request.url?.split('?')[0] !== '/events') {
        throw new PersonalizeError(
          'UnknownOperationException',
          `${request.method} ${request.url} is not served here`,
          404,
        );
      }
      putEvents(JSON.parse(body || '{}'));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    } catch (error) {
      const failure =
        error instanceof PersonalizeError
          ? error
          : new PersonalizeError('InvalidInputException', (error as Error).message, 400);
      response.writeHead(failure.status, {
        'content-type': 'application/json',
        'x-amzn-errortype': failure.type,
      });
      response.end(JSON.stringify({ message: failure.message }));
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    events: () =>
      calls.flatMap(({ eventList, trackingId, sessionId, userId }) =>
        eventList.map((event) => ({
          ...event,
          trackingId,
          sessionId,
          ...(userId !== undefined && { userId }),
        })),
      ),
    fail: ({ throttle = false, times = Infinity } = {}) => {
      fault = { throttle, remaining: times };
    },
    clearFaults,
    reset: () => {
      calls.length = 0;
      clearFaults();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** The call, validated as Personalize validates it. @throws PersonalizeError 400 `InvalidInputException` */
function putEventsCallOf(body: Record<string, unknown>): PutEventsCall {
  const invalid = (message: string) => new PersonalizeError('InvalidInputException', message, 400);
  const { trackingId, sessionId, userId, eventList } = body;
  if (typeof trackingId !== 'string' || trackingId === '') throw invalid('trackingId is required');
  if (typeof sessionId !== 'string' || sessionId === '') throw invalid('sessionId is required');
  if (userId !== undefined && (typeof userId !== 'string' || userId === ''))
    throw invalid('userId must be a string');
  if (!Array.isArray(eventList) || eventList.length < 1 || eventList.length > MAX_EVENTS_PER_CALL) {
    throw invalid(`eventList must hold 1 to ${MAX_EVENTS_PER_CALL} events`);
  }
  eventList.forEach((event: Record<string, unknown>, index) => {
    if (typeof event?.eventType !== 'string' || event.eventType === '') {
      throw invalid(`eventList.${index}.eventType is required`);
    }
    if (typeof event.sentAt !== 'number') throw invalid(`eventList.${index}.sentAt must be epoch seconds`);
  });
  return { trackingId, sessionId, ...(userId !== undefined && { userId }), eventList };
}

function bodyOf(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
