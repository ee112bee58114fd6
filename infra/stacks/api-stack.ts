import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { accessLogRetentionOf, logRetentionOf, removalPolicyOf } from '../config/cdk-settings';
import type { EnvironmentConfig } from '../config/platform-config';
import { Catalog } from '../constructs/catalog';
import { EcommerceApi } from '../constructs/ecommerce-api';
import { Orders } from '../constructs/orders';
import { RealtimeAnalytics } from '../constructs/realtime-analytics';
import { Recommendations } from '../constructs/recommendations';
import type { StatefulStack } from './stateful-stack';

export interface ApiStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** The tables, clickstream stream, user pool, search domain, dataset group and storefront the API serves. */
  readonly stateful: StatefulStack;
}

/**
 * The shop's API and the functions behind it: the catalog (ProductsApi, the sample catalog), the
 * orders (OrderProcessing, OrderIndexer and its DLQ), the live analytics (AnalyticsApi), the
 * recommendations (RecommendationsApi, CoPurchaseCounter and its DLQ), and the REST API in front
 * of them, whose `POST /events` writes the clickstream to its stream directly. Stateless:
 * everything it keeps lives in the stateful stack.
 */
export class ApiStack extends Stack {
  public readonly api: EcommerceApi;
  public readonly orders: Orders;
  public readonly catalog: Catalog;
  public readonly analytics: RealtimeAnalytics;
  public readonly recommendations: Recommendations;
  /** What a client of the environment needs to find the API (read by the integration tests and the storefront). */
  public readonly outputs: { readonly apiUrl: CfnOutput };

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const allowedOrigin = stateful.website.url;
    const functionDefaults = {
      searchDomain: stateful.searchDomain,
      allowedOrigin,
      logRetention: logRetentionOf(config),
      logRemovalPolicy: removalPolicyOf(config),
    };

    this.catalog = new Catalog(this, 'Catalog', {
      ...functionDefaults,
      productsTable: stateful.productsTable,
    });
    this.orders = new Orders(this, 'Orders', {
      ...functionDefaults,
      ordersTable: stateful.ordersTable,
      productsTable: stateful.productsTable,
    });
    this.analytics = new RealtimeAnalytics(this, 'RealtimeAnalytics', {
      allowedOrigin,
      logRetention: functionDefaults.logRetention,
      logRemovalPolicy: functionDefaults.logRemovalPolicy,
      analyticsTable: stateful.analyticsTable,
    });

    this.recommendations = new Recommendations(this, 'Recommendations', {
      allowedOrigin,
      logRetention: functionDefaults.logRetention,
      logRemovalPolicy: functionDefaults.logRemovalPolicy,
      analyticsTable: stateful.analyticsTable,
      ordersTable: stateful.ordersTable,
      productsTable: stateful.productsTable,
      userPool: stateful.identity.userPool,
      userPoolClient: stateful.identity.webClient,
      interactions: stateful.personalization,
    });

    this.api = new EcommerceApi(this, 'EcommerceApi', {
      userPool: stateful.identity.userPool,
      allowedOrigin,
      ordersHandler: this.orders.orderProcessing,
      productsHandler: this.catalog.productsApi,
      analyticsHandler: this.analytics.analyticsApi,
      recommendationsHandler: this.recommendations.recommendationsApi,
      throttling: { rateLimit: config.api.throttlingRateLimit, burstLimit: config.api.throttlingBurstLimit },
      clickstream: {
        stream: stateful.clickstreamStream,
        throttling: { rateLimit: config.api.eventsRateLimit, burstLimit: config.api.eventsBurstLimit },
      },
      accessLogRetention: accessLogRetentionOf(config),
      logRemovalPolicy: removalPolicyOf(config),
      webAcl: config.api.waf.enabled
        ? { requestsPer5MinutesPerIp: config.api.waf.requestsPer5MinutesPerIp }
        : undefined,
    });

    this.outputs = {
      apiUrl: new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'The shop API' }),
    };
  }
}
