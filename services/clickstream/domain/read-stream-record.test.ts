import { readStreamRecord, type ReadRecord } from './read-stream-record';
import type { StreamRecord } from './stream-record';

const CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

const productView = {
  eventId: '0b7c5a0e-6a57-4d1e-9f7e-3c1c2f4a5b6d',
  type: 'product_view',
  sessionId: 'session-1',
  userId: 'user-1',
  productId: 'p-mug',
  timestamp: '2026-11-25T20:34:05.120Z',
};

function record(data: string | Buffer): StreamRecord {
  return {
    shardId: 'shardId-000000000000',
    sequenceNumber: '49600000000000000000000000000000000000000000000000000001',
    partitionKey: 'session-1',
    data: Buffer.isBuffer(data) ? data.toString('base64') : data,
    arrivedAt: new Date('2026-11-25T20:34:05.300Z'),
  };
}

const streamed = (event: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  record(
    Buffer.from(JSON.stringify({ event, receivedAt: Date.parse('2026-11-25T20:34:05.250Z'), ...extra })),
  );

function reasonOf(read: ReadRecord): string {
  if (read.kind !== 'invalid')
    throw new Error(`expected an invalid record, got ${JSON.stringify(read.event)}`);
  return read.reason;
}

describe('reading a clickstream record', () => {
  it('enriches a valid event with the server time, the source, the bot flag and its hour partition', () => {
    const read = readStreamRecord(streamed(productView, { sourceIp: '1.2.3.4', userAgent: CHROME }));

    expect(read).toMatchObject({
      kind: 'event',
      event: {
        ...productView,
        serverTime: '2026-11-25T20:34:05.250Z',
        sourceIp: '1.2.3.4',
        userAgent: CHROME,
        isBot: false,
        eventDate: 'year=2026/month=11/day=25/hour=20',
      },
    });
  });

  it('takes the hour partition from the event’s own time, in UTC', () => {
    const read = readStreamRecord(streamed({ ...productView, timestamp: '2026-12-31T23:59:59+02:00' }));

    expect(read.kind === 'event' && read.event.eventDate).toBe('year=2026/month=12/day=31/hour=21');
  });

  it.each([
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
    ['curl', 'curl/8.5.0'],
    ['python-requests', 'python-requests/2.31.0'],
    ['headless Chrome', 'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0.0.0 Safari/537.36'],
  ])('flags %s as a bot', (_name, userAgent) => {
    const read = readStreamRecord(streamed(productView, { userAgent }));

    expect(read.kind === 'event' && read.event.isBot).toBe(true);
  });

  it.each([
    ['Chrome on a Mac', CHROME],
    [
      'Safari on an iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1',
    ],
    ['no user agent at all', undefined],
  ])('does not flag %s as a bot', (_name, userAgent) => {
    const read = readStreamRecord(streamed(productView, userAgent === undefined ? {} : { userAgent }));

    expect(read.kind === 'event' && read.event.isBot).toBe(false);
  });

  it('drops fields a shop event does not have', () => {
    const read = readStreamRecord(streamed({ ...productView, creditCard: '4111 1111 1111 1111' }));

    expect(read.kind === 'event' && Object.keys(read.event)).not.toContain('creditCard');
  });

  it('rejects data that is not base64', () => {
    expect(reasonOf(readStreamRecord(record('not base64!')))).toBe('the record data is not base64');
  });

  it('rejects data that is not JSON', () => {
    expect(reasonOf(readStreamRecord(record(Buffer.from('{"event": '))))).toMatch(
      /^the record is not UTF-8 JSON/,
    );
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(reasonOf(readStreamRecord(record(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))))).toMatch(
      /^the record is not UTF-8 JSON/,
    );
  });

  it('rejects a record over 64 KiB without reading it', () => {
    const read = readStreamRecord(streamed(productView, { userAgent: 'x'.repeat(64 * 1024) }));

    expect(reasonOf(read)).toMatch(/^the record is \d+ bytes, over the 65536-byte limit$/);
  });

  it.each([
    ['a product view without its product', { ...productView, productId: undefined }, 'event.productId'],
    [
      'an add-to-cart without its product',
      { ...productView, type: 'add_to_cart', productId: undefined },
      'event.productId',
    ],
    [
      'a removal from the cart without its product',
      { ...productView, type: 'remove_from_cart', productId: undefined },
      'event.productId',
    ],
    ['a search without its query', { ...productView, type: 'search' }, 'event.query'],
    [
      'a purchase without its price',
      { ...productView, type: 'purchase', quantity: 1, orderId: 'o-1' },
      'event.price',
    ],
    [
      'a purchase priced in fractions of a cent',
      { ...productView, type: 'purchase', price: 9.99, quantity: 1, orderId: 'o-1' },
      'event.price',
    ],
    [
      'a purchase of no items',
      { ...productView, type: 'purchase', price: 999, quantity: 0, orderId: 'o-1' },
      'event.quantity',
    ],
    [
      'a purchase without its order',
      { ...productView, type: 'purchase', price: 999, quantity: 1 },
      'event.orderId',
    ],
    ['an unknown type', { ...productView, type: 'hover' }, 'event.type'],
    ['a time that is not ISO-8601', { ...productView, timestamp: '25/11/2026 20:34' }, 'event.timestamp'],
    ['an event id that is not a UUID', { ...productView, eventId: 'e-1' }, 'event.eventId'],
  ])('rejects %s, naming the field', (_name, event, path) => {
    const read = readStreamRecord(streamed(event));

    expect(reasonOf(read)).toMatch(/^schema violation: /);
    expect(read.kind === 'invalid' && read.issues?.map((issue) => issue.path)).toContain(path);
  });

  it('rejects an event without the time API Gateway received it', () => {
    const read = readStreamRecord(record(Buffer.from(JSON.stringify({ event: productView }))));

    expect(read.kind === 'invalid' && read.issues).toEqual([
      { path: 'receivedAt', message: expect.any(String) },
    ]);
  });
});
