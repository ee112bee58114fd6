import { Stack, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type { Construct } from 'constructs';

/** The newest OpenSearch 2.x engine aws-cdk-lib offers. */
export const SEARCH_ENGINE_VERSION = opensearch.EngineVersion.OPENSEARCH_2_19;

export interface SearchDomainProps {
  /** Data node instance type, such as "t3.small.search". */
  readonly instanceType: string;
  /** Number of data nodes; even, and at least 2, with zone awareness. */
  readonly instanceCount: number;
  /** Spread data nodes and replicas over 2 availability zones. */
  readonly zoneAwareness: boolean;
  /** EBS (gp3) volume of each data node, in GiB. */
  readonly volumeSizeGiB: number;
  /** How long the slow-search, slow-index and application logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to the domain (and its logs) when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The OpenSearch Service domain behind order and product search. Its indexes are derived data:
 * `orders` from the orders table's stream, `products` from the catalog, both rebuildable.
 *
 * Encrypted at rest and between nodes, HTTPS only with TLS 1.2 or newer (forward secrecy), gp3
 * storage, slow-search, slow-index and application logs in CloudWatch Logs. It is not in a VPC and
 * has no resource-based access policy: nothing is allowed to anyone until an identity policy
 * allows it, and functions get that with `grantIndexRead` / `grantIndexReadWrite` on one index,
 * signing their requests with SigV4.
 */
export class SearchDomain extends opensearch.Domain {
  constructor(scope: Construct, id: string, props: SearchDomainProps) {
    const logGroup = (name: string) =>
      new logs.LogGroup(scope, `${id}${name}`, {
        retention: props.logRetention,
        removalPolicy: props.removalPolicy,
      });
    const slowSearchLogGroup = logGroup('SlowSearchLogs');
    const slowIndexLogGroup = logGroup('SlowIndexLogs');
    const appLogGroup = logGroup('AppLogs');

    // One CloudWatch Logs resource policy for the three groups, declared in the template. The
    // domain's own one is a custom resource (a Lambda function calling PutResourcePolicy on "*"),
    // and an account has 10 such policies per region.
    const logsPolicy = new logs.ResourcePolicy(scope, `${id}LogsPolicy`, {
      policyStatements: [
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('es.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [slowSearchLogGroup, slowIndexLogGroup, appLogGroup].map((group) => group.logGroupArn),
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
        }),
      ],
    });

    super(scope, id, {
      version: SEARCH_ENGINE_VERSION,
      capacity: {
        dataNodes: props.instanceCount,
        dataNodeInstanceType: props.instanceType,
        // Multi-AZ with standby needs 3 AZs and dedicated masters: beyond this platform's size.
        multiAzWithStandbyEnabled: false,
      },
      zoneAwareness: props.zoneAwareness ? { enabled: true, availabilityZoneCount: 2 } : { enabled: false },
      ebs: {
        enabled: true,
        volumeType: ec2.EbsDeviceVolumeType.GP3,
        volumeSize: props.volumeSizeGiB,
      },
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2_PFS,
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup,
        slowIndexLogEnabled: true,
        slowIndexLogGroup,
        appLogEnabled: true,
        appLogGroup,
      },
      suppressLogsResourcePolicy: true,
      removalPolicy: props.removalPolicy,
    });
    this.node.addDependency(logsPolicy);

    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-OS1',
        reason:
          'Outside a VPC on purpose: the platform has no VPC and its functions run outside one (no NAT to pay ' +
          'for). Access is IAM only: no resource-based policy, every request SigV4-signed by a role granted one ' +
          'index, over HTTPS with TLS 1.2+.',
      },
      {
        id: 'AwsSolutions-OS3',
        reason:
          'No IP allow list: the callers are Lambda functions, which have no fixed addresses. Who may call is ' +
          'decided by IAM identity policies on SigV4-signed requests, per index.',
      },
      {
        id: 'AwsSolutions-OS4',
        reason:
          'No dedicated master nodes: a small cluster holding two indexes derived from DynamoDB and rebuildable ' +
          'from it; three dedicated masters would cost more than the data nodes. Add them (capacity.masterNodes) ' +
          'when the cluster grows past a few data nodes.',
      },
      {
        id: 'AwsSolutions-OS5',
        reason:
          'The finding is raised because the domain has no resource-based access policy at all. Without one, ' +
          'unsigned and anonymous requests are refused; only IAM principals whose identity policy allows ' +
          'es:ESHttp* on an index (grantIndexRead/grantIndexReadWrite) are served, over HTTPS only.',
      },
    );
    if (!props.zoneAwareness) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-OS7',
        reason:
          'Zone awareness is off in this environment by config (search.zoneAwareness false): a small test ' +
          'cluster whose indexes are rebuilt from DynamoDB, the source of truth. Environments with zoneAwareness ' +
          '(prod) spread an even number of nodes over 2 availability zones.',
      });
    }
  }
}
