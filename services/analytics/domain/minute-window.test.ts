import { minutesEndingAt, startOfMinute } from './minute-window';

describe('minutesEndingAt', () => {
  it('ends with the minute now falls in, incomplete as it is, and starts count - 1 minutes before', () => {
    expect(minutesEndingAt(new Date('2026-11-25T20:34:59.999Z'), 3)).toEqual([
      '2026-11-25T20:32',
      '2026-11-25T20:33',
      '2026-11-25T20:34',
    ]);
  });

  it('is the current minute alone for a count of 1', () => {
    expect(minutesEndingAt(new Date('2026-11-25T20:34:00.000Z'), 1)).toEqual(['2026-11-25T20:34']);
  });

  it('counts in UTC across midnight and the new year', () => {
    expect(minutesEndingAt(new Date('2027-01-01T00:01:30Z'), 3)).toEqual([
      '2026-12-31T23:59',
      '2027-01-01T00:00',
      '2027-01-01T00:01',
    ]);
  });

  it('has as many distinct minutes as asked for, 180 included', () => {
    const window = minutesEndingAt(new Date('2026-11-25T20:34:12Z'), 180);
    expect(new Set(window).size).toBe(180);
    expect(window[0]).toBe('2026-11-25T17:35');
  });
});

describe('startOfMinute', () => {
  it('is the first millisecond of the minute', () => {
    expect(startOfMinute('2026-11-25T20:34').toISOString()).toBe('2026-11-25T20:34:00.000Z');
  });

  it.each(['2026-11-25T20:34:00', '2026-11-25 20:34', '2026-11-25T24:00', '2026-02-30T10:00', 'now'])(
    'rejects %j, which is not a UTC minute',
    (minute) => {
      expect(() => startOfMinute(minute)).toThrow(RangeError);
    },
  );
});
