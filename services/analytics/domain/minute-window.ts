import { minuteOf } from './minute-aggregates';

const MINUTE_MS = 60_000;
const MINUTE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** The `count` UTC minutes that end with the minute `now` falls in (included), oldest first. */
export function minutesEndingAt(now: Date, count: number): string[] {
  const current = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  return Array.from({ length: count }, (_, index) =>
    minuteOf(new Date(current - (count - 1 - index) * MINUTE_MS)),
  );
}

/** The instant a minute such as `2026-11-25T20:34` starts. @throws RangeError for anything else. */
export function startOfMinute(minute: string): Date {
  const start = new Date(`${minute}:00.000Z`);
  if (!MINUTE_PATTERN.test(minute) || Number.isNaN(start.getTime()) || minuteOf(start) !== minute) {
    throw new RangeError(`"${minute}" is not a UTC minute such as 2026-11-25T20:34`);
  }
  return start;
}
