import { Names, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** The Glue table of the clickstream, in the lake's database. */
export const EVENTS_TABLE = 'events';

/** The year the lake's partitions start: partition projection enumerates years from it to the current one. */
export const LAKE_FIRST_YEAR = 2025;

/** Where Athena writes query results in the lake. */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';

/**
 * The columns of the events table: the fields of one enriched event, one JSON line as the
 * ClickstreamProcessor writes it (`services/clickstream/domain/enriched-event.ts`). Names are
 * lower case: Athena's are, and the JSON SerDe matches keys without regard to case.
 */
export const EVENT_COLUMNS: readonly glue.CfnTable.ColumnProperty[] = [
  { name: 'eventid', type: 'string', comment: 'unique per event: a replay repeats it' },
  {
    name: 'type',
    type: 'string',
    comment: 'page_view, product_view, search, add_to_cart, remove_from_cart, checkout_start, purchase',
  },
  { name: 'sessionid', type: 'string' },
  { name: 'userid', type: 'string', comment: 'signed-in shoppers only' },
  { name: 'productid', type: 'string' },
  { name: 'query', type: 'string', comment: 'search events' },
  { name: 'price', type: 'bigint', comment: 'minor units (cents)' },
  { name: 'quantity', type: 'int' },
  { name: 'orderid', type: 'string', comment: 'purchase events, one per order line' },
  { name: 'timestamp', type: 'string', comment: "ISO-8601, the browser's clock" },
  { name: 'servertime', type: 'string', comment: 'ISO-8601 (UTC), when API Gateway received the event' },
  { name: 'sourceip', type: 'string' },
  { name: 'useragent', type: 'string' },
  { name: 'isbot', type: 'boolean', comment: 'the user agent is a known crawler or scripted client' },
  { name: 'eventdate', type: 'string', comment: 'year=/month=/day=/hour= of the event timestamp (UTC)' },
];

/** The partition keys, from the Firehose prefix `clickstream/year=/month=/day=/hour=` (UTC hour of arrival). */
export const PARTITION_KEYS: readonly glue.CfnTable.ColumnProperty[] = ['year', 'month', 'day', 'hour'].map(
  (name) => ({ name, type: 'string' }),
);

export interface AnalyticsLakeProps {
  /** The lake: the events are under `clickstream/`, query results go under `athena-results/`. */
  readonly bucket: s3.IBucket;
  /** The lake prefix the events table reads, ending with a slash. */
  readonly eventsPrefix: string;
}

/**
 * SQL over the lake: a Glue database with the `events` table over `s3://<lake>/clickstream/`
 * (JSON lines, gzip), partitioned by year, month, day and hour with partition projection (no
 * crawler, no `MSCK REPAIR`: a new hour is queryable as soon as Firehose writes it), an Athena
 * workgroup whose results are encrypted and kept in the lake under `athena-results/`, and the
 * saved query "Daily funnel by product".
 */
export class AnalyticsLake extends Construct {
  public readonly database: glue.CfnDatabase;
  public readonly databaseName: string;
  public readonly eventsTable: glue.CfnTable;
  public readonly workGroup: athena.CfnWorkGroup;
  public readonly dailyFunnelQuery: athena.CfnNamedQuery;

  constructor(scope: Construct, id: string, props: AnalyticsLakeProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    const location = `s3://${props.bucket.bucketName}/${props.eventsPrefix}`;

    // Glue names are per account and region: derived from the construct path, unique per stage.
    this.databaseName = Names.uniqueResourceName(this, { maxLength: 64, separator: '_' }).toLowerCase();
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: {
        name: this.databaseName,
        description: 'The clickstream lake: enriched shop events, one JSON line each',
      },
    });

    this.eventsTable = new glue.CfnTable(this, 'EventsTable', {
      catalogId,
      databaseName: this.databaseName,
      tableInput: {
        name: EVENTS_TABLE,
        description: 'Clickstream events as the ClickstreamProcessor enriched them, delivered by Firehose',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          EXTERNAL: 'TRUE',
          classification: 'json',
          compressionType: 'gzip',
          ...partitionProjection(location),
        },
        partitionKeys: [...PARTITION_KEYS],
        storageDescriptor: {
          location,
          columns: [...EVENT_COLUMNS],
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          compressed: true,
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: { 'case.insensitive': 'TRUE', 'ignore.malformed.json': 'TRUE' },
          },
        },
      },
    });
    this.eventsTable.node.addDependency(this.database);

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: Names.uniqueResourceName(this, { maxLength: 128 }),
      description: 'Queries over the clickstream lake: results encrypted, in the lake under athena-results/',
      recursiveDeleteOption: true,
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${props.bucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    this.dailyFunnelQuery = new athena.CfnNamedQuery(this, 'DailyFunnelByProduct', {
      name: 'Daily funnel by product',
      description:
        'Per day (UTC) and product over the last 31 days: views, add-to-carts, checkouts, purchases and revenue',
      database: this.databaseName,
      workGroup: this.workGroup.name,
      queryString: dailyFunnelByProductSql(this.databaseName),
    });
    this.dailyFunnelQuery.node.addDependency(this.workGroup);
    this.dailyFunnelQuery.node.addDependency(this.eventsTable);
  }
}

/**
 * Partition projection of `year`, `month`, `day` and `hour`: Athena computes the partitions from
 * these ranges instead of reading them from the catalog. `year` runs from `LAKE_FIRST_YEAR` to the
 * current year; the others are zero-padded, like Firehose's `MM`, `dd` and `HH`.
 */
export function partitionProjection(location: string): Record<string, string> {
  const twoDigits = (name: string, range: string) => ({
    [`projection.${name}.type`]: 'integer',
    [`projection.${name}.range`]: range,
    [`projection.${name}.digits`]: '2',
  });
  return {
    'projection.enabled': 'true',
    'projection.year.type': 'date',
    'projection.year.format': 'yyyy',
    'projection.year.range': `${LAKE_FIRST_YEAR},NOW`,
    'projection.year.interval': '1',
    'projection.year.interval.unit': 'YEARS',
    ...twoDigits('month', '1,12'),
    ...twoDigits('day', '1,31'),
    ...twoDigits('hour', '0,23'),
    'storage.location.template': `${location}year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`,
  };
}

/**
 * "Daily funnel by product": per UTC day (API Gateway's clock) and product, the views, add-to-carts,
 * checkouts started, purchases and revenue (in cents) of the last 31 days, bots left out. An event
 * delivered more than once (Firehose and the processor retry) counts once, by its `eventId`. Events
 * that name no product (checkouts usually) are counted under `(no product)`.
 */
export function dailyFunnelByProductSql(databaseName: string): string {
  return `-- Daily funnel by product, last 31 days (UTC). Revenue in cents; bots left out; each eventId counted once.
WITH recent AS (
  SELECT *, row_number() OVER (PARTITION BY eventid ORDER BY servertime) AS copy
  FROM "${databaseName}"."${EVENTS_TABLE}"
  WHERE date_parse(concat(year, month, day), '%Y%m%d') >= date_add('day', -31, current_date)
    AND NOT coalesce(isbot, false)
)
SELECT
  date(from_iso8601_timestamp(servertime)) AS day,
  coalesce(productid, '(no product)') AS product_id,
  count_if(type = 'product_view') AS views,
  count_if(type = 'add_to_cart') AS add_to_carts,
  count_if(type = 'checkout_start') AS checkouts,
  count_if(type = 'purchase') AS purchases,
  sum(if(type = 'purchase', price * quantity, 0)) AS revenue_cents
FROM recent
WHERE copy = 1
GROUP BY 1, 2
ORDER BY day DESC, purchases DESC, views DESC
`;
}
