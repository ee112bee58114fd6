import { FIREHOSE_CALL_LIMITS, firehoseBatches } from './firehose-batches';

const records = (count: number, bytes: number) =>
  Array.from({ length: count }, (_, index) => ({ index, data: new Uint8Array(bytes) }));
const sizes = (batches: { data: Uint8Array }[][]) => batches.map((batch) => batch.length);

describe('Firehose batches', () => {
  it('holds at most 500 records', () => {
    expect(sizes(firehoseBatches(records(1_201, 100)))).toEqual([500, 500, 201]);
  });

  it('starts a new call before a record that would take it over 4 MiB', () => {
    const batches = firehoseBatches(records(10, 1024 * 1024 - 10));

    expect(sizes(batches)).toEqual([4, 4, 2]);
    for (const batch of batches) {
      expect(batch.reduce((total, record) => total + record.data.byteLength, 0)).toBeLessThanOrEqual(
        FIREHOSE_CALL_LIMITS.bytes,
      );
    }
  });

  it('keeps the records in order', () => {
    expect(
      firehoseBatches(records(700, 10))
        .flat()
        .map((record) => record.index),
    ).toEqual(Array.from({ length: 700 }, (_, index) => index));
  });

  it('sends a record larger than a call on its own', () => {
    const batches = firehoseBatches([
      ...records(2, 10),
      { index: 2, data: new Uint8Array(5 * 1024 * 1024) },
      ...records(1, 10),
    ]);

    expect(sizes(batches)).toEqual([2, 1, 1]);
  });
});
