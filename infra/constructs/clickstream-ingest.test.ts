import { Template } from 'aws-cdk-lib/assertions';
import { Compile, parse } from 'velocityjs';
import { buildTestPlatform } from '../testing/platform-app';
import { PUT_RECORDS_RESPONSE_TEMPLATE, putRecordsRequestTemplate } from './clickstream-ingest-templates';

/**
 * The mapping templates of POST /events, read back from the synthesized API stack and rendered with
 * velocityjs, given what API Gateway gives a template: `$input`, `$util`, `$context`.
 */

const STREAM_NAME = 'dev-Stateful-ClickstreamStream-AbC123';

const { stages } = buildTestPlatform();
const eventsMethod = Object.values(
  Template.fromStack(stages.dev.api).findResources('AWS::ApiGateway::Method'),
).find(({ Properties }) =>
  JSON.stringify(Properties.Integration?.Uri ?? '').includes('kinesis:action/PutRecords'),
)!.Properties;

/** A synthesized value as deployed: the `Fn::Join` of text and the stream name (its only reference). */
function deployedText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`Not a template text: ${JSON.stringify(value)}`);
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      expect(JSON.stringify(part)).toContain('PublishOutputRefClickstreamStream');
      return STREAM_NAME;
    })
    .join(join[0]);
}

const requestTemplate = deployedText(eventsMethod.Integration.RequestTemplates['application/json']);
const responseTemplate = deployedText(
  eventsMethod.Integration.IntegrationResponses.find((r: { StatusCode: string }) => r.StatusCode === '200')
    .ResponseTemplates['application/json'],
);

/**
 * `$util.escapeJavaScript` as API Gateway runs it (Apache Commons Lang `StringEscapeUtils`): `"`,
 * `\`, `/` and `'` are escaped with a backslash, control characters as `\n`-style or `\u00XX`
 * escapes, every character above 0x7f as `\uXXXX` (each UTF-16 unit, upper-case hex).
 */
function escapeJavaScript(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
  let escaped = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const hex = code.toString(16).toUpperCase();
    if (code > 0x7f) escaped += `\\u${hex.padStart(4, '0')}`;
    else if (code < 0x20) escaped += named[code] ?? `\\u${hex.padStart(4, '0')}`;
    else if (`"'\\/`.includes(text[i]!)) escaped += `\\${text[i]}`;
    else escaped += text[i];
  }
  return escaped;
}

/** The JSONPath API Gateway templates use: `$`, `.name` and `[index]` steps. */
function atPath(root: unknown, path: string): unknown {
  const steps = [...path.replace(/^\$/, '').matchAll(/\.([A-Za-z_]\w*)|\[(\d+)\]/g)];
  return steps.reduce<unknown>(
    (node, [, name, index]) =>
      node === null || node === undefined ? undefined : (node as any)[name ?? Number(index)],
    root,
  );
}

interface Caller {
  readonly sourceIp: string;
  readonly userAgent?: string;
  readonly requestTimeEpoch: number;
}

const SHOPPER: Caller = {
  sourceIp: '203.0.113.7',
  userAgent:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  requestTimeEpoch: 1_764_102_896_123,
};

function render(template: string, body: unknown, caller: Caller = SHOPPER): string {
  const text = JSON.stringify(body);
  return new Compile(parse(template)).render({
    input: {
      body: text,
      path: (path: string) => atPath(body, path),
      json: (path: string) => JSON.stringify(atPath(body, path)),
    },
    util: {
      escapeJavaScript,
      base64Encode: (value: string) => Buffer.from(value, 'utf8').toString('base64'),
      parseJson: (value: string) => JSON.parse(value),
    },
    context: {
      requestId: 'c0ffee00-0000-4000-8000-000000000001',
      requestTimeEpoch: caller.requestTimeEpoch,
      identity: { sourceIp: caller.sourceIp, userAgent: caller.userAgent },
    },
  });
}

interface PutRecordsRequest {
  StreamName: string;
  Records: { Data: string; PartitionKey: string }[];
}

function putRecords(body: unknown, caller?: Caller): PutRecordsRequest {
  const rendered = render(requestTemplate, body, caller);
  return JSON.parse(rendered) as PutRecordsRequest;
}

const decoded = (data: string): string => Buffer.from(data, 'base64').toString('utf8');

const event = (overrides: Record<string, unknown> = {}) => ({
  eventId: '6f1c2b1e-8a57-4a39-9d1e-3c0a5f4b2d10',
  type: 'product_view',
  sessionId: 'session-1',
  timestamp: '2026-11-25T20:34:56.789Z',
  productId: 'p-1',
  ...overrides,
});

describe('POST /events mapping templates', () => {
  it('deploys the texts of clickstream-ingest-templates.ts', () => {
    expect(requestTemplate).toBe(putRecordsRequestTemplate(STREAM_NAME));
    expect(responseTemplate).toBe(PUT_RECORDS_RESPONSE_TEMPLATE);
  });

  describe('request: { events } -> Kinesis PutRecords', () => {
    it('writes one record per event to the clickstream stream, keyed by session id, in order', () => {
      const events = [
        event({ eventId: 'e-1', sessionId: 'session-a', type: 'page_view', productId: undefined }),
        event({ eventId: 'e-2', sessionId: 'session-b' }),
        event({ eventId: 'e-3', sessionId: 'session-a', type: 'add_to_cart', quantity: 2 }),
      ];
      const request = putRecords({ events });
      expect(request.StreamName).toBe(STREAM_NAME);
      expect(request.Records.map((record) => record.PartitionKey)).toEqual([
        'session-a',
        'session-b',
        'session-a',
      ]);
      expect(request.Records.map((record) => JSON.parse(decoded(record.Data)).event.eventId)).toEqual([
        'e-1',
        'e-2',
        'e-3',
      ]);
    });

    it('puts exactly { event, receivedAt, sourceIp, userAgent } in each record, the event as sent', () => {
      const purchase = event({
        type: 'purchase',
        userId: 'u-42',
        price: 1999,
        quantity: 3,
        orderId: 'ord_1',
      });
      const [record] = putRecords({ events: [purchase] }).Records;
      const data = JSON.parse(decoded(record!.Data));
      expect(Object.keys(data)).toEqual(['event', 'receivedAt', 'sourceIp', 'userAgent']);
      expect(data).toEqual({
        event: purchase,
        receivedAt: SHOPPER.requestTimeEpoch,
        sourceIp: SHOPPER.sourceIp,
        userAgent: SHOPPER.userAgent,
      });
      expect(typeof data.receivedAt).toBe('number');
      expect(data.event.price).toBe(1999);
    });

    it('keeps quotes, backslashes, unicode, control characters and template syntax in fields intact', () => {
      const tricky = event({
        type: 'search',
        productId: undefined,
        query: `say "hi" \\ it's 50% off $price #set($x = 1) ${'\\u0041'} é ü 日本 😀 </script> tab\tline\nend`,
        sessionId: `s"1\\'é😀`,
        userId: "o'brien",
      });
      const plain = event({ eventId: 'e-2', sessionId: 'plain' });
      const request = putRecords({ events: [tricky, plain] });
      expect(request.Records.map((record) => record.PartitionKey)).toEqual([tricky.sessionId, 'plain']);
      expect(JSON.parse(decoded(request.Records[0]!.Data)).event).toEqual(tricky);
      expect(JSON.parse(decoded(request.Records[1]!.Data)).event).toEqual(plain);
    });

    it('JSON-escapes a user agent with quotes, apostrophes, backslashes and unicode', () => {
      const caller = { ...SHOPPER, userAgent: `Bot "quoted" it's \\ back/slash é 😀` };
      const [record] = putRecords({ events: [event()] }, caller).Records;
      expect(JSON.parse(decoded(record!.Data)).userAgent).toBe(caller.userAgent);
    });

    it('gives an empty user agent when the request has none', () => {
      const caller = { ...SHOPPER, userAgent: undefined };
      const [record] = putRecords({ events: [event()] }, caller).Records;
      expect(JSON.parse(decoded(record!.Data))).toMatchObject({ userAgent: '', sourceIp: SHOPPER.sourceIp });
    });

    it('writes the 25 events a request may carry at most', () => {
      const events = Array.from({ length: 25 }, (_, index) =>
        event({ eventId: `e-${index}`, sessionId: `session-${index % 4}` }),
      );
      const request = putRecords({ events });
      expect(request.Records).toHaveLength(25);
      request.Records.forEach((record, index) => {
        expect(record.PartitionKey).toBe(`session-${index % 4}`);
        expect(JSON.parse(decoded(record.Data)).event).toEqual(events[index]);
      });
    });
  });

  describe('response: PutRecords answer -> { accepted, failed, retry }', () => {
    const ok = (index: number) => ({ SequenceNumber: `4963${index}`, ShardId: 'shardId-000000000000' });
    const throttled = {
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: 'Rate exceeded for shard',
    };
    /** A PutRecords answer of `records` records, those at `failedAt` refused. */
    const answer = (records: number, failedAt: readonly number[] = [], withCount = true) => ({
      ...(withCount && { FailedRecordCount: failedAt.length }),
      Records: Array.from({ length: records }, (_, index) =>
        failedAt.includes(index) ? throttled : ok(index),
      ),
    });
    const respond = (body: unknown) => JSON.parse(render(responseTemplate, body));

    it('counts every record accepted, with nothing to retry, when none failed', () => {
      expect(respond(answer(3))).toEqual({ accepted: 3, failed: 0, retry: [] });
    });

    it('lists the index of each failed record, in request order, for the client to send again', () => {
      expect(respond(answer(5, [0, 3]))).toEqual({ accepted: 3, failed: 2, retry: [0, 3] });
      expect(respond(answer(5, [1, 2, 4]))).toEqual({ accepted: 2, failed: 3, retry: [1, 2, 4] });
      expect(respond(answer(1, [0]))).toEqual({ accepted: 0, failed: 1, retry: [0] });
    });

    it('lists every index when the whole batch of 25 failed', () => {
      const all = Array.from({ length: 25 }, (_, index) => index);
      expect(respond(answer(25, all))).toEqual({ accepted: 0, failed: 25, retry: all });
    });

    it('lists the failed records another error code refused too', () => {
      const body = answer(3);
      body.Records[2] = { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' };
      expect(respond({ ...body, FailedRecordCount: 1 })).toEqual({ accepted: 2, failed: 1, retry: [2] });
    });

    it('counts no failure when the answer has no FailedRecordCount', () => {
      expect(respond(answer(2, [], false))).toEqual({ accepted: 2, failed: 0, retry: [] });
    });
  });
});
