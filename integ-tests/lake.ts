import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3 } from './aws-clients';
import { platformUnderTest } from './platform';

const { clickstreamBucketName, clickstreamLakePrefix } = platformUnderTest();

const HOUR_MS = 3_600_000;

/**
 * The key prefixes Firehose writes under between `from` and `to`: the lake prefix expression with its
 * `!{timestamp:...}` placeholders filled in for each UTC hour (`yyyy`, `MM`, `dd`, `HH`), such as
 * `clickstream/year=2026/month=03/day=14/hour=09/`. An expression may hold placeholders this does not
 * know (`!{firehose:random-string}`, a `mm` in a timestamp): the prefix then stops before the first.
 */
export function lakePrefixesBetween(expression: string, from: Date, to: Date): string[] {
  const prefixes = new Set<string>();
  const firstHour = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS;
  for (let hour = firstHour; hour <= to.getTime(); hour += HOUR_MS) {
    prefixes.add(expandPrefix(expression, new Date(hour)));
  }
  return [...prefixes];
}

function expandPrefix(expression: string, time: Date): string {
  const iso = time.toISOString();
  const parts: Record<string, string> = {
    yyyy: iso.slice(0, 4),
    MM: iso.slice(5, 7),
    dd: iso.slice(8, 10),
    HH: iso.slice(11, 13),
  };
  let prefix = '';
  let rest = expression;
  for (;;) {
    const start = rest.indexOf('!{');
    if (start < 0) return prefix + rest;
    const end = rest.indexOf('}', start);
    const placeholder = rest.slice(start + 2, end);
    const format = placeholder.startsWith('timestamp:') ? placeholder.slice('timestamp:'.length) : undefined;
    const filled = format?.replace(/yyyy|MM|dd|HH/g, (token) => parts[token] ?? token);
    if (end < 0 || filled === undefined || /[A-Za-z]/.test(filled)) {
      return prefix + rest.slice(0, start);
    }
    prefix += rest.slice(0, start) + filled;
    rest = rest.slice(end + 1);
  }
}

/** One line Firehose delivered: an enriched event as the ClickstreamProcessor wrote it. */
export interface LakeEvent {
  readonly eventId: string;
  readonly type: string;
  readonly sessionId: string;
  readonly [field: string]: unknown;
}

/**
 * Reads the lake objects written under the lake prefix since `since`, and returns the events in
 * them, gunzipped when Firehose compressed them. `seen` keeps the keys already read across calls,
 * so that each poll reads only the new objects.
 */
export async function lakeEventsSince(since: Date, seen: Map<string, LakeEvent[]>): Promise<LakeEvent[]> {
  // A minute of leeway for the difference between this machine's clock and S3's.
  const notBefore = since.getTime() - 60_000;
  for (const prefix of lakePrefixesBetween(clickstreamLakePrefix, new Date(notBefore), new Date())) {
    let continuationToken: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: clickstreamBucketName,
          Prefix: prefix,
          ContinuationToken: continuationToken,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key || seen.has(object.Key)) continue;
        if (object.LastModified && object.LastModified.getTime() < notBefore) continue;
        seen.set(object.Key, await readEvents(object.Key));
      }
      continuationToken = page.NextContinuationToken;
    } while (continuationToken);
  }
  return [...seen.values()].flat();
}

async function readEvents(key: string): Promise<LakeEvent[]> {
  const object = await s3.send(new GetObjectCommand({ Bucket: clickstreamBucketName, Key: key }));
  if (!object.Body) throw new Error(`s3://${clickstreamBucketName}/${key} has no body`);
  const bytes = Buffer.from(await object.Body.transformToByteArray());
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LakeEvent);
}
