const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO-8601 instant in the shopper's time zone and language, such as `Nov 26, 2026, 1:15 AM`. */
export function formatDateTime(iso: string): string {
  return dateFormat.format(new Date(iso));
}
