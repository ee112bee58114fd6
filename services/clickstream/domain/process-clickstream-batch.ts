import { comparableSequenceNumber } from '../../analytics/domain/minute-aggregates';
import { ndjsonLine } from './enriched-event';
import { contributionsByItem, type CountedEvent } from './minute-contributions';
import type { ClickstreamSinks, QuarantineBatch, QuarantinedRecord, RecordFailure } from './ports';
import { readStreamRecord, type ReadRecord } from './read-stream-record';
import { interactionsOf } from './recommender-interactions';
import type { StreamRecord } from './stream-record';
import { userActivitiesOf } from './user-activity';

type InvalidRecord = Extract<ReadRecord, { kind: 'invalid' }>;

/** What became of a batch. */
export interface BatchOutcome {
  /** Records to report as batch item failures (Lambda delivers them again), by sequence number, with why. */
  readonly failed: ReadonlyMap<string, string>;
  /** Valid events, each event id once. */
  readonly events: number;
  /** Records repeating an event id seen earlier in the batch: skipped. */
  readonly duplicates: number;
  /** Valid events from bots: delivered to the lake, not counted. */
  readonly botEvents: number;
  /** Invalid records stored in the quarantine. */
  readonly quarantined: number;
  /** Events the analytics lake accepted. */
  readonly delivered: number;
  /** Shopper and product activities written to the shoppers' recent activity. */
  readonly userActivities: number;
  /** What the batch newly added to the minutes' totals (nothing for records counted before). */
  readonly newlyCounted: Readonly<Record<string, number>>;
  /** Interactions offered to the recommender, and how many it did not take (best effort). */
  readonly interactions: { readonly sent: number; readonly failed: number; readonly reason?: string };
}

/**
 * Processes a batch of clickstream records. Each record is read, validated and enriched; an event
 * id seen earlier in the batch is skipped. Then, concurrently:
 * - every valid event goes to the analytics lake (bots included, flagged);
 * - signed-in shoppers' product interactions go to the recommender, if there is one;
 * - events not from bots are added to the per-minute live aggregates;
 * - signed-in shoppers' events about a product (not from bots) update their recent activity, one
 *   write per shopper and product;
 * - invalid records go, together, to the quarantine.
 *
 * A record is reported (to be delivered again) when the lake refused it, when its aggregates or its
 * shopper's activity could not be written, or when it is invalid and the quarantine could not store
 * it. (Both AnalyticsTable writes are replay safe, so a retry counts nothing twice.) Nothing else fails
 * a record: an invalid record, once quarantined, is never retried, and the recommender is best
 * effort. Its interactions only sharpen recommendations a little. Reporting them would make Lambda
 * deliver the records again, which would re-send every later record of the batch to the lake and
 * hold up the shard's live aggregates for a sink that does not need them. A re-sent interaction
 * also counts twice in Personalize.
 *
 * Lambda never mixes shards in a batch; records of several shards are processed shard by shard.
 */
export async function processClickstreamBatch(
  records: readonly StreamRecord[],
  sinks: ClickstreamSinks,
): Promise<BatchOutcome> {
  const byShard = new Map<string, StreamRecord[]>();
  for (const record of records) {
    const shard = byShard.get(record.shardId);
    if (shard) shard.push(record);
    else byShard.set(record.shardId, [record]);
  }
  const outcomes: BatchOutcome[] = [];
  for (const [shardId, shardRecords] of byShard) {
    outcomes.push(await processShardBatch(shardId, shardRecords, sinks));
  }
  return combine(outcomes);
}

async function processShardBatch(
  shardId: string,
  records: readonly StreamRecord[],
  sinks: ClickstreamSinks,
): Promise<BatchOutcome> {
  const read = records.map(readStreamRecord);
  const invalid = read.filter((entry): entry is InvalidRecord => entry.kind === 'invalid');
  const [firstInvalid] = invalid;
  const { events, duplicates } = distinctEvents(read);
  const counted = events.filter(({ event }) => !event.isBot);
  const interactions = interactionsOf(events.map(({ event }) => event));
  const activities = userActivitiesOf(counted);

  const [delivery, tracking, aggregates, activity, quarantine] = await Promise.allSettled([
    events.length > 0
      ? sinks.delivery.deliver(
          events.map(({ event, sequenceNumber }) => ({ sequenceNumber, line: ndjsonLine(event) })),
        )
      : { failed: [] },
    sinks.tracker && interactions.length > 0 ? sinks.tracker.track(interactions) : { failed: 0 },
    counted.length > 0
      ? sinks.aggregates.apply({
          shardId,
          lastSequenceNumber: lastSequenceNumberOf(records),
          items: contributionsByItem(counted),
        })
      : { failed: [], newlyCounted: {} },
    activities.length > 0 ? sinks.userActivity.record(activities) : { written: 0, failed: [] },
    firstInvalid ? sinks.quarantine.store(quarantineBatch(shardId, firstInvalid.record, invalid)) : undefined,
  ]);

  const failed = new Map<string, string>();
  const report = (failures: readonly RecordFailure[]) => {
    for (const { sequenceNumber, reason } of failures) {
      const earlier = failed.get(sequenceNumber);
      failed.set(sequenceNumber, earlier === undefined ? reason : `${earlier}; ${reason}`);
    }
  };
  const everyRecord = (entries: readonly { sequenceNumber: string }[], reason: string) =>
    entries.map(({ sequenceNumber }) => ({ sequenceNumber, reason }));

  if (delivery.status === 'fulfilled') report(delivery.value.failed);
  else report(everyRecord(events, `the analytics lake is unavailable: ${messageOf(delivery.reason)}`));
  if (aggregates.status === 'fulfilled') report(aggregates.value.failed);
  else report(everyRecord(counted, `the live aggregates are unavailable: ${messageOf(aggregates.reason)}`));
  if (activity.status === 'fulfilled') report(activity.value.failed);
  else {
    const reason = `the shoppers' activity is unavailable: ${messageOf(activity.reason)}`;
    report(
      activities.flatMap(({ sequenceNumbers }) =>
        sequenceNumbers.map((sequenceNumber) => ({ sequenceNumber, reason })),
      ),
    );
  }
  if (quarantine.status === 'rejected') {
    report(
      everyRecord(
        invalid.map(({ record }) => record),
        `the invalid record could not be quarantined: ${messageOf(quarantine.reason)}`,
      ),
    );
  }

  const deliveryFailures = delivery.status === 'fulfilled' ? delivery.value.failed.length : events.length;
  return {
    failed,
    events: events.length,
    duplicates,
    botEvents: events.length - counted.length,
    quarantined: quarantine.status === 'fulfilled' ? invalid.length : 0,
    delivered: events.length - deliveryFailures,
    userActivities: activity.status === 'fulfilled' ? activity.value.written : 0,
    newlyCounted: aggregates.status === 'fulfilled' ? aggregates.value.newlyCounted : {},
    interactions: {
      sent: sinks.tracker ? interactions.length : 0,
      ...(tracking.status === 'fulfilled'
        ? tracking.value
        : { failed: interactions.length, reason: messageOf(tracking.reason) }),
    },
  };
}

/** The valid events of the batch, each event id once (its first record), in stream order. */
function distinctEvents(read: readonly ReadRecord[]): { events: CountedEvent[]; duplicates: number } {
  const seen = new Set<string>();
  const events: CountedEvent[] = [];
  let duplicates = 0;
  for (const entry of read) {
    if (entry.kind !== 'event') continue;
    if (seen.has(entry.event.eventId)) {
      duplicates += 1;
      continue;
    }
    seen.add(entry.event.eventId);
    events.push({ event: entry.event, sequenceNumber: entry.record.sequenceNumber });
  }
  return { events, duplicates };
}

function lastSequenceNumberOf(records: readonly StreamRecord[]): string {
  return records.reduce(
    (last, { sequenceNumber }) =>
      comparableSequenceNumber(sequenceNumber) > comparableSequenceNumber(last) ? sequenceNumber : last,
    records[0]?.sequenceNumber ?? '0',
  );
}

function quarantineBatch(
  shardId: string,
  first: StreamRecord,
  invalid: readonly InvalidRecord[],
): QuarantineBatch {
  const records: QuarantinedRecord[] = invalid.map(({ record, reason, issues }) => ({
    sequenceNumber: record.sequenceNumber,
    partitionKey: record.partitionKey,
    reason,
    ...(issues && { issues }),
    data: record.data,
  }));
  return { shardId, firstSequenceNumber: first.sequenceNumber, firstArrivedAt: first.arrivedAt, records };
}

function combine(outcomes: readonly BatchOutcome[]): BatchOutcome {
  const sum = (pick: (outcome: BatchOutcome) => number) => outcomes.reduce((total, o) => total + pick(o), 0);
  const newlyCounted: Record<string, number> = {};
  for (const outcome of outcomes) {
    for (const [name, value] of Object.entries(outcome.newlyCounted))
      newlyCounted[name] = (newlyCounted[name] ?? 0) + value;
  }
  const reasons = outcomes.flatMap((o) =>
    o.interactions.reason === undefined ? [] : [o.interactions.reason],
  );
  return {
    failed: new Map(outcomes.flatMap((outcome) => [...outcome.failed])),
    events: sum((o) => o.events),
    duplicates: sum((o) => o.duplicates),
    botEvents: sum((o) => o.botEvents),
    quarantined: sum((o) => o.quarantined),
    delivered: sum((o) => o.delivered),
    userActivities: sum((o) => o.userActivities),
    newlyCounted,
    interactions: {
      sent: sum((o) => o.interactions.sent),
      failed: sum((o) => o.interactions.failed),
      ...(reasons[0] !== undefined && { reason: reasons[0] }),
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
