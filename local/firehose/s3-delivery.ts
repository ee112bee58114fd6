import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Where and how a delivery stream writes to S3, as its `ExtendedS3DestinationConfiguration` says. */
export interface S3Destination {
  readonly deliveryStreamName: string;
  readonly bucketName: string;
  /** Such as `clickstream/year=!{timestamp:yyyy}/month=!{timestamp:MM}/`. */
  readonly prefix: string;
  readonly compression: 'UNCOMPRESSED' | 'GZIP';
  readonly bufferIntervalSeconds: number;
  readonly bufferSizeMiB: number;
}

/** Buffers a delivery stream's records and writes them to S3 the way Firehose does. */
export interface S3Delivery {
  /** Adds records to the buffer; writes an object once the buffer reaches its size. */
  add(deliveryStreamName: string, records: readonly Buffer[]): Promise<void>;
  /** Writes every buffered record now. */
  flush(): Promise<void>;
  /** Flushes and stops the interval timers. */
  stop(): Promise<void>;
}

type FormatPart = 'yyyy' | 'MM' | 'dd' | 'HH' | 'mm' | 'ss';

const FORMAT_PARTS: Record<FormatPart, (date: Date) => string> = {
  yyyy: (date) => String(date.getUTCFullYear()),
  MM: (date) => pad(date.getUTCMonth() + 1),
  dd: (date) => pad(date.getUTCDate()),
  HH: (date) => pad(date.getUTCHours()),
  mm: (date) => pad(date.getUTCMinutes()),
  ss: (date) => pad(date.getUTCSeconds()),
};

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * Expands Firehose's custom prefix expressions: `!{timestamp:<format>}` in UTC (the formats the
 * platform uses: yyyy, MM, dd, HH, mm, ss and combinations) and `!{firehose:random-string}`.
 * @throws Error for any other expression, naming it.
 */
export function expandPrefix(prefix: string, at: Date): string {
  return prefix.replace(/!\{([A-Za-z]+):([^}]+)\}/g, (expression, namespace: string, argument: string) => {
    if (namespace === 'firehose' && argument === 'random-string') return randomUUID().slice(0, 11);
    if (namespace === 'timestamp') {
      return argument.replace(/yyyy|MM|dd|HH|mm|ss/g, (part) => FORMAT_PARTS[part as FormatPart](at));
    }
    throw new Error(`Firehose prefix expression ${expression} is not supported locally`);
  });
}

/** The object key Firehose gives a delivery: `<prefix><stream>-1-yyyy-MM-dd-HH-mm-ss-<uuid>[.gz]`. */
export function objectKey(destination: S3Destination, at: Date): string {
  const stamp = (['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss'] as const)
    .map((part) => FORMAT_PARTS[part](at))
    .join('-');
  const extension = destination.compression === 'GZIP' ? '.gz' : '';
  return `${expandPrefix(destination.prefix, at)}${destination.deliveryStreamName}-1-${stamp}-${randomUUID()}${extension}`;
}

/**
 * Firehose's S3 delivery on the local platform: records are concatenated as they came (Firehose
 * adds no delimiter), compressed as configured, and written as one object when the buffer reaches
 * its size or its interval has passed since the first record, whichever comes first.
 */
export function startS3Delivery(
  s3: S3Client,
  destinations: readonly S3Destination[],
  log: (line: string) => void = () => {},
): S3Delivery {
  const buffers = new Map(
    destinations.map((destination) => [
      destination.deliveryStreamName,
      { destination, records: [] as Buffer[], bytes: 0, timer: undefined as NodeJS.Timeout | undefined },
    ]),
  );
  const writes = new Set<Promise<void>>();

  const write = (name: string): Promise<void> => {
    const buffer = buffers.get(name);
    if (!buffer) return Promise.resolve();
    clearTimeout(buffer.timer);
    buffer.timer = undefined;
    if (buffer.records.length === 0) return Promise.resolve();
    const records = buffer.records;
    buffer.records = [];
    buffer.bytes = 0;
    const { destination } = buffer;
    const body = Buffer.concat(records);
    const key = objectKey(destination, new Date());
    const written = s3
      .send(
        new PutObjectCommand({
          Bucket: destination.bucketName,
          Key: key,
          Body: destination.compression === 'GZIP' ? gzipSync(body) : body,
        }),
      )
      .then(
        () => log(`Firehose ${name}: ${records.length} records to s3://${destination.bucketName}/${key}`),
        (error: unknown) => {
          // Firehose keeps retrying a failed delivery; so does this, with the records back in front.
          log(
            `Firehose ${name}: writing to s3://${destination.bucketName} failed (${String(error)}), retrying`,
          );
          buffer.records.unshift(...records);
          buffer.bytes += body.length;
          buffer.timer ??= setTimeout(() => void write(name), 1_000);
        },
      )
      .finally(() => writes.delete(written));
    writes.add(written);
    return written;
  };

  const flush = async () => {
    await Promise.all([...buffers.keys()].map(write));
    await Promise.all([...writes]);
  };

  return {
    async add(name, records) {
      const buffer = buffers.get(name);
      if (!buffer)
        throw new Error(`No delivery stream named ${name} (known: ${[...buffers.keys()].join(', ')})`);
      buffer.records.push(...records);
      buffer.bytes += records.reduce((sum, record) => sum + record.length, 0);
      if (buffer.bytes >= buffer.destination.bufferSizeMiB * 1024 * 1024) {
        await write(name);
      } else {
        buffer.timer ??= setTimeout(() => void write(name), buffer.destination.bufferIntervalSeconds * 1000);
      }
    },
    flush,
    async stop() {
      await flush();
      for (const buffer of buffers.values()) clearTimeout(buffer.timer);
    },
  };
}
