import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  acknowledgeWildcardPermissions,
  searchIndexWildcard,
  TABLE_INDEXES_WILDCARD,
} from '../compliance/acknowledge-wildcards';
import { PLATFORM_METRICS_NAMESPACE, PlatformFunction } from './platform-function';

const HANDLERS = path.join(__dirname, '..', '..', 'services', 'orders', 'handlers');

/** Service name of OrderProcessing: the `service` dimension of its metrics (OrdersPlaced, OrderValue). */
export const ORDER_PROCESSING_SERVICE = 'order-processing';
/** Service name of OrderIndexer. */
export const ORDER_INDEXER_SERVICE = 'order-indexer';
/** The search index that holds orders. */
export const ORDERS_INDEX = 'orders';

export interface OrdersProps {
  /** The source of truth; its stream feeds the search index. */
  readonly ordersTable: dynamodb.ITable;
  /** Prices orders (read only). */
  readonly productsTable: dynamodb.ITable;
  /** Holds the `orders` index, derived from the orders table's stream. */
  readonly searchDomain: opensearch.IDomain;
  /** The storefront's origin, echoed in the API's CORS headers. */
  readonly allowedOrigin: string;
  /** How long the functions' logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * What happens to the functions' log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * Orders: OrderProcessing, behind `/orders`, places orders in the orders table (prices read from the
 * products table) and reads and searches them; OrderIndexer keeps the `orders` search index in step
 * with the table's stream, in batches, reporting failed records one by one, bisecting a failing
 * batch, retrying a bounded number of times and then sending the batch's description to a DLQ.
 */
export class Orders extends Construct {
  public readonly orderProcessing: PlatformFunction;
  public readonly orderIndexer: PlatformFunction;
  /** Where the indexer's stream batches go when retries are exhausted (shard and sequence numbers). */
  public readonly indexerDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: OrdersProps) {
    super(scope, id);
    const openSearchEndpoint = `https://${props.searchDomain.domainEndpoint}`;
    const common = {
      metricsNamespace: PLATFORM_METRICS_NAMESPACE,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    };

    this.orderProcessing = new PlatformFunction(this, 'OrderProcessing', {
      ...common,
      entry: path.join(HANDLERS, 'orders-api.ts'),
      serviceName: ORDER_PROCESSING_SERVICE,
      description: 'The orders API: places, lists, reads and searches orders',
      environment: {
        ORDERS_TABLE_NAME: props.ordersTable.tableName,
        PRODUCTS_TABLE_NAME: props.productsTable.tableName,
        OPENSEARCH_ENDPOINT: openSearchEndpoint,
        ALLOWED_ORIGIN: props.allowedOrigin,
      },
    });
    props.ordersTable.grantReadWriteData(this.orderProcessing);
    props.productsTable.grantReadData(this.orderProcessing);
    props.searchDomain.grantIndexRead(ORDERS_INDEX, this.orderProcessing);
    acknowledgeWildcardPermissions(
      this.orderProcessing.executionRole,
      'Wildcards added by grants on named resources: "<table>/index/*" is the global secondary indexes of ' +
        'the orders and products tables (orders by customer, products by category); "<domain>/orders/*" is the ' +
        'documents and search API of the orders index only.',
      { only: [TABLE_INDEXES_WILDCARD, searchIndexWildcard(ORDERS_INDEX)] },
    );

    this.orderIndexer = new PlatformFunction(this, 'OrderIndexer', {
      ...common,
      entry: path.join(HANDLERS, 'order-indexer.ts'),
      serviceName: ORDER_INDEXER_SERVICE,
      description: 'Indexes orders in OpenSearch from the orders table stream',
      timeout: Duration.seconds(60),
      environment: { OPENSEARCH_ENDPOINT: openSearchEndpoint },
    });
    props.searchDomain.grantIndexReadWrite(ORDERS_INDEX, this.orderIndexer);
    acknowledgeWildcardPermissions(
      this.orderIndexer.executionRole,
      'Wildcard added by grantIndexReadWrite: "<domain>/orders/*" is the documents and bulk API of the ' +
        'orders index only, which the indexer keeps in step with the orders table.',
      { only: [searchIndexWildcard(ORDERS_INDEX)] },
    );

    this.indexerDeadLetterQueue = new sqs.Queue(this, 'IndexerDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.indexerDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is a DLQ: the on-failure destination of the OrderIndexer's stream event source mapping, " +
        'which cdk-nag does not recognise as one. A queue of last resort needs no DLQ of its own.',
    });

    this.orderIndexer.addEventSource(
      new DynamoEventSource(props.ordersTable, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 5,
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.indexerDeadLetterQueue),
      }),
    );
    Validations.of(this.orderIndexer.executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Two actions take no resource narrower than "*": X-Ray PutTraceSegments/PutTelemetryRecords (tracing), ' +
        'and dynamodb:ListStreams, which the stream read grant of the event source adds (an account-level ' +
        'listing; reading records is granted on the orders stream ARN only).',
    });
  }
}
