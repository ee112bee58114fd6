import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcardPermissions, TABLE_INDEXES_WILDCARD } from '../compliance/acknowledge-wildcards';
import type { InteractionsDataset } from './personalization';
import { consumeOrdersStream } from './orders-stream-consumer';
import { PLATFORM_METRICS_NAMESPACE, PlatformFunction } from './platform-function';

const SERVICE = path.join(__dirname, '..', '..', 'services', 'recommendations');

/** Service name of RecommendationsApi: the `service` dimension of its metrics (RecommendationFallback...). */
export const RECOMMENDATIONS_API_SERVICE = 'recommendations-api';
/** Service name of CoPurchaseCounter. */
export const CO_PURCHASE_COUNTER_SERVICE = 'co-purchase-counter';

export interface RecommendationsProps {
  /** Live popularity, shoppers' recent activity and co-purchase counts: read by the API, counts written by the counter. */
  readonly analyticsTable: dynamodb.ITable;
  /** Orders: a shopper's purchases (read through `byCustomer`), and the stream the counter counts from. */
  readonly ordersTable: dynamodb.ITable;
  /** The catalog: what may be recommended (in stock) and how it is shown. */
  readonly productsTable: dynamodb.ITable;
  /**
   * Shoppers' user pool: the API verifies the optional ID token itself (the route has no authorizer),
   * against the pool's issuer, its ProviderURL (which `IUserPool` does not expose).
   */
  readonly userPool: cognito.UserPool;
  /** The storefront's client of the pool: the audience of the ID tokens. */
  readonly userPoolClient: cognito.IUserPoolClient;
  /** The dataset group whose campaigns, filter and SSM parameters the API reads. */
  readonly interactions: InteractionsDataset;
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
 * Personalised recommendations. RecommendationsApi, behind the public `GET /recommendations`, answers
 * from the Personalize campaign an SSM parameter names, from the live data until one is trained (or
 * whenever Personalize fails), and from the catalog when there is nothing else; it verifies an
 * optional ID token itself. CoPurchaseCounter keeps the `bought-together` counts from the orders
 * table's stream, in batches, as the order indexer does (bisect, partial failures, bounded retries,
 * a DLQ). The models are trained by `RecommenderTraining`, in the clickstream stack.
 */
export class Recommendations extends Construct {
  public readonly recommendationsApi: PlatformFunction;
  public readonly coPurchaseCounter: PlatformFunction;
  /** Where the counter's stream batches go when retries are exhausted (shard and sequence numbers). */
  public readonly counterDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RecommendationsProps) {
    super(scope, id);
    const common = {
      metricsNamespace: PLATFORM_METRICS_NAMESPACE,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    };
    const { interactions } = props;

    this.recommendationsApi = new PlatformFunction(this, 'RecommendationsApi', {
      ...common,
      entry: path.join(SERVICE, 'handlers', 'recommendations-api.ts'),
      serviceName: RECOMMENDATIONS_API_SERVICE,
      description: 'The recommendations API: Personalize when trained, else live data, else the catalog',
      // The chain's budget is 1 s; the rest is for a cold start, the catalog and the token check.
      timeout: Duration.seconds(10),
      environment: {
        ANALYTICS_TABLE_NAME: props.analyticsTable.tableName,
        ORDERS_TABLE_NAME: props.ordersTable.tableName,
        PRODUCTS_TABLE_NAME: props.productsTable.tableName,
        ALLOWED_ORIGIN: props.allowedOrigin,
        RECOMMENDERS_PARAMETER_PREFIX: interactions.recommendersParameterPrefix,
        USER_POOL_ID: props.userPool.userPoolId,
        USER_POOL_CLIENT_ID: props.userPoolClient.userPoolClientId,
        USER_POOL_ISSUER: props.userPool.userPoolProviderUrl,
      },
    });
    props.analyticsTable.grantReadData(this.recommendationsApi);
    props.productsTable.grantReadData(this.recommendationsApi);
    props.ordersTable.grantReadData(this.recommendationsApi);
    interactions.grantReadRecommenderParameters(this.recommendationsApi);
    interactions.grantGetRecommendations(this.recommendationsApi);
    acknowledgeWildcardPermissions(
      this.recommendationsApi.executionRole,
      'Wildcard added by grantReadData on named tables: "<table>/index/*" is their global secondary indexes ' +
        "(a shopper's orders are read through the orders table's byCustomer index). Parameters, campaigns and " +
        'the filter are named one by one.',
      { only: [TABLE_INDEXES_WILDCARD] },
    );

    this.coPurchaseCounter = new PlatformFunction(this, 'CoPurchaseCounter', {
      ...common,
      entry: path.join(SERVICE, 'signals', 'handlers', 'co-purchase-counter.ts'),
      serviceName: CO_PURCHASE_COUNTER_SERVICE,
      description: 'Counts the products bought together, from the orders table stream',
      timeout: Duration.seconds(60),
      environment: { ANALYTICS_TABLE_NAME: props.analyticsTable.tableName },
    });
    props.analyticsTable.grantWriteData(this.coPurchaseCounter);

    // The order indexer's settings: both keep something derived from the same stream.
    this.counterDeadLetterQueue = consumeOrdersStream(
      this,
      'CounterDeadLetterQueue',
      this.coPurchaseCounter,
      props.ordersTable,
    );
  }
}
