import { isBotUserAgent } from './bot-user-agents';
import type { ShopEvent, StreamedShopEvent } from './shop-event';

/**
 * A shop event as the analytics lake keeps it: the event the browser sent, plus what the server
 * knows about it. One enriched event is one line of the Firehose delivery stream.
 */
export type EnrichedEvent = ShopEvent & {
  /** When API Gateway received the event (ISO-8601, UTC): a clock the shopper cannot skew. */
  readonly serverTime: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  /** Whether the user agent is a known crawler or scripted client. */
  readonly isBot: boolean;
  /** `year=2026/month=11/day=25/hour=20`: the UTC hour of the event's timestamp, as a lake partition. */
  readonly eventDate: string;
};

export function enrichEvent({ event, receivedAt, sourceIp, userAgent }: StreamedShopEvent): EnrichedEvent {
  return {
    ...event,
    serverTime: new Date(receivedAt).toISOString(),
    ...(sourceIp !== undefined && { sourceIp }),
    ...(userAgent !== undefined && { userAgent }),
    isBot: isBotUserAgent(userAgent),
    eventDate: eventDatePartition(new Date(event.timestamp)),
  };
}

/** `year=YYYY/month=MM/day=DD/hour=HH` of `time`, in UTC. */
export function eventDatePartition(time: Date): string {
  const iso = time.toISOString();
  return `year=${iso.slice(0, 4)}/month=${iso.slice(5, 7)}/day=${iso.slice(8, 10)}/hour=${iso.slice(11, 13)}`;
}

/** The event as one line of newline-delimited JSON. */
export function ndjsonLine(event: EnrichedEvent): string {
  return `${JSON.stringify(event)}\n`;
}
