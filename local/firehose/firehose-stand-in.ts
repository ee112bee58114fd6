import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  bodyOf,
  checkLimits,
  dataOf,
  deliveryStreamOf,
  FirehoseError,
  sizeOf,
  TARGET_PREFIX,
} from './firehose-requests';

/**
 * A stand-in for Kinesis Data Firehose's record API on 127.0.0.1: the JSON 1.1 protocol
 * (`x-amz-target: Firehose_20150804.PutRecordBatch` or `.PutRecord`, `Data` in base64), served to
 * the real SDK client. It keeps the records it accepts per delivery stream, hands them to an
 * optional sink (the local platform writes them to the local S3), enforces Firehose's call limits,
 * and can be told to refuse entries or fail whole calls, for fault-injection tests.
 */
export interface FirehoseStandIn {
  readonly endpoint: string;
  /** The records accepted so far by the delivery stream, in the order they arrived. */
  records(deliveryStreamName: string): Buffer[];
  /** Every call received, in order. */
  readonly calls: readonly FirehoseCall[];
  /** Refuses entries of PutRecordBatch (per-entry `ServiceUnavailableException`) and PutRecord calls. */
  failEntries(fault: EntryFault): void;
  /** Answers calls with HTTP 500 `ServiceUnavailableException`, as when the service is down. */
  failCalls(fault?: CallFault): void;
  clearFaults(): void;
  /** Forgets the records, the calls and the faults. */
  reset(): void;
  stop(): Promise<void>;
}

export interface FirehoseCall {
  readonly operation: 'PutRecordBatch' | 'PutRecord';
  readonly deliveryStreamName: string;
  readonly entries: number;
  readonly bytes: number;
  /** Entries refused (faults injected), or all of them when the call failed. */
  readonly refused: number;
}

export interface EntryFault {
  /**
   * Which entries to refuse, by their data.
   * @default every entry
   */
  readonly matching?: (data: Buffer) => boolean;
  /**
   * The share of the matching entries refused at each call, chosen at random.
   * @default 1
   */
  readonly fraction?: number;
  /**
   * How many times one record (by content) is refused at most; after that it is accepted.
   * @default no limit
   */
  readonly timesPerRecord?: number;
}

export interface CallFault {
  /** @default no limit */
  readonly times?: number;
}

export interface FirehoseStandInOptions {
  /** @default a free port */
  readonly port?: number;
  /**
   * Delivery streams that exist; a call naming another gets `ResourceNotFoundException`.
   * @default any name is accepted
   */
  readonly deliveryStreams?: readonly string[];
  /**
   * Called with the records of each call once they are accepted, before the call is answered. When
   * it rejects, the call fails with HTTP 500 and nothing is kept, so the caller sends them again.
   */
  readonly onDeliver?: (deliveryStreamName: string, records: readonly Buffer[]) => void | Promise<void>;
}

export async function startFirehoseStandIn(options: FirehoseStandInOptions = {}): Promise<FirehoseStandIn> {
  const delivered = new Map<string, Buffer[]>();
  const calls: FirehoseCall[] = [];
  let entryFault: EntryFault | undefined;
  let callFault: { remaining: number } | undefined;
  const refusals = new Map<string, number>();
  const clearFaults = () => {
    entryFault = undefined;
    callFault = undefined;
    refusals.clear();
  };

  const refuses = (data: Buffer): boolean => {
    if (!entryFault) return false;
    if (entryFault.matching && !entryFault.matching(data)) return false;
    if (Math.random() >= (entryFault.fraction ?? 1)) return false;
    const key = data.toString('base64');
    const times = refusals.get(key) ?? 0;
    if (times >= (entryFault.timesPerRecord ?? Infinity)) return false;
    refusals.set(key, times + 1);
    return true;
  };

  const accept = async (deliveryStreamName: string, records: Buffer[]) => {
    if (records.length === 0) return;
    await options.onDeliver?.(deliveryStreamName, records);
    const stream = delivered.get(deliveryStreamName) ?? [];
    stream.push(...records);
    delivered.set(deliveryStreamName, stream);
  };

  const operations: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    PutRecordBatch: async (body) => {
      const name = deliveryStreamOf(body, options.deliveryStreams);
      const records = Array.isArray(body.Records) ? body.Records.map(dataOf) : [];
      checkLimits(records);
      const call = { operation: 'PutRecordBatch' as const, deliveryStreamName: name, ...sizeOf(records) };
      failIfCallFault(call);
      const outcome = records.map((data) => ({ data, refused: refuses(data) }));
      try {
        await accept(
          name,
          outcome.filter((entry) => !entry.refused).map((entry) => entry.data),
        );
      } catch (error) {
        calls.push({ ...call, refused: records.length });
        throw new FirehoseError(
          'ServiceUnavailableException',
          `delivery failed: ${(error as Error).message}`,
          500,
        );
      }
      const refused = outcome.filter((entry) => entry.refused).length;
      calls.push({ ...call, refused });
      return {
        FailedPutCount: refused,
        Encrypted: false,
        RequestResponses: outcome.map((entry) =>
          entry.refused
            ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down (injected fault).' }
            : { RecordId: randomUUID() },
        ),
      };
    },
    PutRecord: async (body) => {
      const name = deliveryStreamOf(body, options.deliveryStreams);
      const data = dataOf(body.Record);
      checkLimits([data]);
      const call = { operation: 'PutRecord' as const, deliveryStreamName: name, ...sizeOf([data]) };
      failIfCallFault(call);
      if (refuses(data)) {
        calls.push({ ...call, refused: 1 });
        throw new FirehoseError('ServiceUnavailableException', 'Slow down (injected fault).', 500);
      }
      try {
        await accept(name, [data]);
      } catch (error) {
        calls.push({ ...call, refused: 1 });
        throw new FirehoseError(
          'ServiceUnavailableException',
          `delivery failed: ${(error as Error).message}`,
          500,
        );
      }
      calls.push({ ...call, refused: 0 });
      return { RecordId: randomUUID(), Encrypted: false };
    },
  };

  function failIfCallFault(call: Omit<FirehoseCall, 'refused'>) {
    if (!callFault || callFault.remaining <= 0) return;
    callFault.remaining -= 1;
    calls.push({ ...call, refused: call.entries });
    throw new FirehoseError(
      'ServiceUnavailableException',
      'The service is unavailable (injected fault).',
      500,
    );
  }

  const server = http.createServer((request, response) => {
    void handle(request, response);
  });
  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    };
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX)
        ? operations[target.slice(TARGET_PREFIX.length)]
        : undefined;
      if (request.method !== 'POST' || !operation) {
        throw new FirehoseError(
          'UnknownOperationException',
          `this stand-in does not serve ${target || 'that request'}`,
        );
      }
      reply(200, await operation(JSON.parse((await bodyOf(request)) || '{}')));
    } catch (error) {
      const failure =
        error instanceof FirehoseError
          ? error
          : new FirehoseError('SerializationException', (error as Error).message);
      reply(failure.status, { __type: failure.type, message: failure.message });
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    records: (name) => [...(delivered.get(name) ?? [])],
    calls,
    failEntries: (fault) => {
      entryFault = fault;
      refusals.clear();
    },
    failCalls: (fault = {}) => {
      callFault = { remaining: fault.times ?? Infinity };
    },
    clearFaults,
    reset: () => {
      delivered.clear();
      calls.length = 0;
      clearFaults();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
