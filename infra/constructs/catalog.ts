import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import {
  acknowledgeWildcardPermissions,
  searchIndexWildcard,
  TABLE_INDEXES_WILDCARD,
} from '../compliance/acknowledge-wildcards';
import { PLATFORM_METRICS_NAMESPACE, PlatformFunction } from './platform-function';

const CATALOG_SERVICE = path.join(__dirname, '..', '..', 'services', 'catalog');

/** The sample catalog's data: `sample-catalog.ts` and the modules beside it that it is built from. */
export const SAMPLE_CATALOG_DATA_DIRECTORY = path.join(CATALOG_SERVICE, 'data');

/** Service name of ProductsApi. */
export const PRODUCTS_API_SERVICE = 'products-api';
/** Service name of CatalogSeed. */
export const CATALOG_SEED_SERVICE = 'catalog-seed';
/** The search index that holds products. */
export const PRODUCTS_INDEX = 'products';

export interface CatalogProps {
  readonly productsTable: dynamodb.ITable;
  /** Holds the `products` index. */
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
 * The catalog: ProductsApi, behind `/products`, lists, searches and reads products; and the sample
 * catalog, a CloudFormation custom resource ("SampleCatalog") whose CatalogSeed function writes
 * the sample products to the products table and the `products` index. The resource carries a hash
 * of the catalog's data files, so a deployment that changes them loads the catalog again.
 */
export class Catalog extends Construct {
  public readonly productsApi: PlatformFunction;
  public readonly catalogSeed: PlatformFunction;
  public readonly seedProvider: cr.Provider;
  public readonly sampleCatalog: CustomResource;

  constructor(scope: Construct, id: string, props: CatalogProps) {
    super(scope, id);
    const openSearchEndpoint = `https://${props.searchDomain.domainEndpoint}`;
    const common = {
      metricsNamespace: PLATFORM_METRICS_NAMESPACE,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    };

    this.productsApi = new PlatformFunction(this, 'ProductsApi', {
      ...common,
      entry: path.join(CATALOG_SERVICE, 'handlers', 'products-api.ts'),
      serviceName: PRODUCTS_API_SERVICE,
      description: 'The catalog API: lists, searches and reads products',
      environment: {
        PRODUCTS_TABLE_NAME: props.productsTable.tableName,
        OPENSEARCH_ENDPOINT: openSearchEndpoint,
        ALLOWED_ORIGIN: props.allowedOrigin,
      },
    });
    props.productsTable.grantReadData(this.productsApi);
    props.searchDomain.grantIndexRead(PRODUCTS_INDEX, this.productsApi);
    acknowledgeWildcardPermissions(
      this.productsApi.executionRole,
      'Wildcards added by grants on named resources: "<table>/index/*" is the global secondary indexes of the ' +
        'products table (products by category); "<domain>/products/*" is the documents and search API of the ' +
        'products index only.',
      { only: [TABLE_INDEXES_WILDCARD, searchIndexWildcard(PRODUCTS_INDEX)] },
    );

    this.catalogSeed = new PlatformFunction(this, 'CatalogSeed', {
      ...common,
      entry: path.join(CATALOG_SERVICE, 'handlers', 'seed-catalog.ts'),
      handler: 'onEvent',
      serviceName: CATALOG_SEED_SERVICE,
      description: 'Loads the sample catalog into the products table and the products index',
      timeout: Duration.minutes(5),
      environment: {
        PRODUCTS_TABLE_NAME: props.productsTable.tableName,
        OPENSEARCH_ENDPOINT: openSearchEndpoint,
      },
    });
    props.productsTable.grantWriteData(this.catalogSeed);
    props.searchDomain.grantIndexReadWrite(PRODUCTS_INDEX, this.catalogSeed);
    acknowledgeWildcardPermissions(
      this.catalogSeed.executionRole,
      'Wildcards added by grants on named resources: "<table>/index/*" is the global secondary indexes of the ' +
        'products table; "<domain>/products/*" is the documents and bulk API of the products index only.',
      { only: [TABLE_INDEXES_WILDCARD, searchIndexWildcard(PRODUCTS_INDEX)] },
    );

    // The provider framework's function gets a role of its own that may write its log group and
    // invoke CatalogSeed (the grant the Provider adds), instead of the basic execution managed policy.
    const providerLogs = new logs.LogGroup(this, 'SeedProviderLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const providerRole = new iam.Role(this, 'SeedProviderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Execution role of the sample catalog custom resource provider',
    });
    providerLogs.grantWrite(providerRole);
    this.seedProvider = new cr.Provider(this, 'SeedProvider', {
      onEventHandler: this.catalogSeed,
      logGroup: providerLogs,
      frameworkOnEventRole: providerRole,
    });
    // The framework's handler is plain JavaScript: it runs on ARM64 like every function of the platform.
    const frameworkFunction = this.seedProvider.node.findChild('framework-onEvent') as lambda.Function;
    (frameworkFunction.node.defaultChild as lambda.CfnFunction).architectures = [
      lambda.Architecture.ARM_64.name,
    ];
    acknowledgeWildcardPermissions(
      providerRole,
      'aws-cdk-lib custom resource provider framework: the Provider grants its function lambda:InvokeFunction ' +
        'on the CatalogSeed function and its versions ("<arn>:*"), the only function it calls.',
    );

    this.sampleCatalog = new CustomResource(this, 'SampleCatalog', {
      serviceToken: this.seedProvider.serviceToken,
      resourceType: 'Custom::SampleCatalog',
      properties: { CatalogDataHash: hashSampleCatalogData() },
    });
  }
}

/**
 * SHA-256 of the sample catalog's data files (every `.ts` file of `services/catalog/data` but the
 * tests, by name and content): a change to any of them changes the custom resource's properties,
 * and CloudFormation then sends an Update that loads the catalog again.
 */
export function hashSampleCatalogData(directory: string = SAMPLE_CATALOG_DATA_DIRECTORY): string {
  const hash = crypto.createHash('sha256');
  const files = fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .sort();
  if (!files.includes('sample-catalog.ts')) {
    throw new Error(`The sample catalog is missing: expected ${path.join(directory, 'sample-catalog.ts')}`);
  }
  for (const name of files) {
    hash
      .update(name)
      .update('\0')
      .update(fs.readFileSync(path.join(directory, name)))
      .update('\0');
  }
  return hash.digest('hex');
}
