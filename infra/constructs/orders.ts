import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  acknowledgeWildcardPermissions,
  searchIndexWildcard,
  TABLE_INDEXES_WILDCARD,
} from '../compliance/acknowledge-wildcards';
import { consumeOrdersStream } from './orders-stream-consumer';
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

    this.indexerDeadLetterQueue = consumeOrdersStream(
      this,
      'IndexerDeadLetterQueue',
      this.orderIndexer,
      props.ordersTable,
    );
  }
}
