import * as vm from 'node:vm';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SPA_ROUTING_CODE } from '../constructs/website';
import { ENVIRONMENT_TAG_KEY } from '../stage';
import { buildTestPlatform, cdkJsonPlatformConfig } from '../testing/platform-app';

const { stages } = buildTestPlatform();
const dev = Template.fromStack(stages.dev.stateful);
const prod = Template.fromStack(stages.prod.stateful);

describe('StatefulStack', () => {
  describe('buckets', () => {
    it('encrypts every bucket, blocks all public access and refuses plain HTTP', () => {
      const buckets = dev.findResources('AWS::S3::Bucket');
      expect(Object.keys(buckets)).toHaveLength(3);
      for (const bucket of Object.values(buckets)) {
        expect(bucket.Properties.BucketEncryption).toEqual({
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        });
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
      }
      const policies = Object.values(dev.findResources('AWS::S3::BucketPolicy'));
      expect(policies).toHaveLength(3);
      for (const policy of policies) {
        expect(policy.Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            expect.objectContaining({
              Effect: 'Deny',
              Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
            }),
          ]),
        );
      }
    });

    it('logs the website and clickstream buckets into the access-log bucket', () => {
      dev.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 's3/website/' },
      });
      dev.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 's3/clickstream/' },
      });
    });

    it('expires access logs after the retention the environment configures', () => {
      dev.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
      });
      prod.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365, Status: 'Enabled' })] },
      });
    });

    it('empties and deletes buckets with a throwaway environment, keeps them in prod', () => {
      for (const bucket of Object.values(dev.findResources('AWS::S3::Bucket'))) {
        expect(bucket.DeletionPolicy).toBe('Delete');
      }
      expect(Object.keys(dev.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(3);
      for (const bucket of Object.values(prod.findResources('AWS::S3::Bucket'))) {
        expect(bucket.DeletionPolicy).toBe('Retain');
      }
      expect(prod.findResources('Custom::S3AutoDeleteObjects')).toEqual({});
    });
  });

  describe('OrdersTable', () => {
    it('is encrypted, recoverable to any point in time, and streams new and old images', () => {
      dev.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'byCustomer',
            KeySchema: [
              { AttributeName: 'customerId', KeyType: 'HASH' },
              { AttributeName: 'createdAt', KeyType: 'RANGE' },
            ],
          }),
        ],
      });
    });

    it('has deletion protection in prod only', () => {
      prod.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        DeletionProtectionEnabled: true,
      });
      dev.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        DeletionProtectionEnabled: false,
      });
    });
  });

  it('encrypts every table and keeps point-in-time recovery on', () => {
    const tables = Object.values(dev.findResources('AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(3);
    for (const table of tables) {
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });

  it('keeps live analytics aggregates by minute, expiring them by TTL', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('encrypts the clickstream stream with the Kinesis key and sizes it from the config', () => {
    dev.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 1,
      RetentionPeriodHours: 24,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    prod.hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 2, RetentionPeriodHours: 168 });
  });

  it('expires Athena query results in the lake after 30 days', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/clickstream/' }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'athena-results/', ExpirationInDays: 30, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('deletes the Personalize dataset group with a throwaway environment, keeps it in prod', () => {
    for (const type of [
      'AWS::Personalize::DatasetGroup',
      'AWS::Personalize::Schema',
      'AWS::Personalize::Dataset',
    ]) {
      for (const resource of Object.values(dev.findResources(type)))
        expect(resource.DeletionPolicy).toBe('Delete');
      for (const resource of Object.values(prod.findResources(type)))
        expect(resource.DeletionPolicy).toBe('Retain');
    }
  });

  describe('user pool', () => {
    it('signs in by email, confirms sign-ups by code and asks for strong passwords', () => {
      dev.hasResourceProperties('AWS::Cognito::UserPool', {
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            TemporaryPasswordValidityDays: 3,
          },
        },
        MfaConfiguration: 'OPTIONAL',
        DeletionProtection: 'INACTIVE',
      });
      prod.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'ACTIVE' });
    });

    it('has an admin group and a web client without a secret', () => {
      dev.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
      dev.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
      });
    });

    it("carries its environment's name in a tag, which the integration tests' permissions select it by", () => {
      dev.hasResourceProperties('AWS::Cognito::UserPool', {
        UserPoolTags: { [ENVIRONMENT_TAG_KEY]: 'dev' },
      });
      prod.hasResourceProperties('AWS::Cognito::UserPool', {
        UserPoolTags: { [ENVIRONMENT_TAG_KEY]: 'prod' },
      });
    });
  });

  describe('outputs', () => {
    it('publishes the storefront, the user pool and its client, the clickstream stream and the lake bucket', () => {
      // The outputs CDK adds for references from the other stacks of the stage are left out.
      const published = Object.entries(dev.findOutputs('*')).filter(
        ([id]) => !id.startsWith('PublishOutput'),
      );
      expect(Object.fromEntries(published)).toEqual({
        WebsiteUrl: expect.objectContaining({ Description: 'The storefront' }),
        UserPoolId: { Value: { Ref: 'ShopperIdentityUserPool916C1B00' } },
        UserPoolClientId: { Value: { Ref: 'ShopperIdentityUserPoolWebClientF57152DD' } },
        ClickstreamStreamName: expect.objectContaining({ Value: { Ref: 'ClickstreamStream3FFDB429' } }),
        ClickstreamBucketName: expect.objectContaining({ Value: { Ref: 'ClickstreamBucketD2103901' } }),
      });
    });

    it('passes them to the integration tests, by variable name', () => {
      const { testEnvironment, stateful } = stages.dev;
      // By identity: an output is a construct, which a deep comparison would walk the whole app for.
      expect(testEnvironment.WEBSITE_URL).toBe(stateful.outputs.websiteUrl);
      expect(testEnvironment.USER_POOL_ID).toBe(stateful.outputs.userPoolId);
      expect(testEnvironment.USER_POOL_CLIENT_ID).toBe(stateful.outputs.userPoolClientId);
      expect(testEnvironment.CLICKSTREAM_STREAM_NAME).toBe(stateful.outputs.clickstreamStreamName);
      expect(testEnvironment.CLICKSTREAM_BUCKET_NAME).toBe(stateful.outputs.clickstreamBucketName);
    });
  });

  describe('storefront distribution', () => {
    it('reads the website bucket through origin access control only', () => {
      dev.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
      dev.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
      });
      dev.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: [
            Match.objectLike({
              OriginAccessControlId: Match.anyValue(),
              S3OriginConfig: { OriginAccessIdentity: '' },
            }),
          ],
        }),
      });
    });

    it('redirects to HTTPS, sends security headers, routes app paths and logs requests', () => {
      dev.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: 'redirect-to-https',
            ResponseHeadersPolicyId: Match.anyValue(),
            FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
          }),
          Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
        }),
      });
      dev.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            StrictTransportSecurity: Match.objectLike({
              AccessControlMaxAgeSec: 63072000,
              IncludeSubdomains: true,
            }),
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
            ContentSecurityPolicy: Match.objectLike({ Override: true }),
          }),
        }),
      });
    });

    it('enforces TLS 1.2 when the environment has its own domain', () => {
      const { stages: withDomain } = buildTestPlatformWithDomain();
      Template.fromStack(withDomain.prod.stateful).hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Aliases: ['shop.example.com'],
          ViewerCertificate: Match.objectLike({
            MinimumProtocolVersion: 'TLSv1.2_2021',
            SslSupportMethod: 'sni-only',
          }),
        }),
      });
    });
  });

  describe('search domain', () => {
    const domainOf = (template: Template) => {
      const domains = Object.values(template.findResources('AWS::OpenSearchService::Domain'));
      expect(domains).toHaveLength(1);
      return domains[0]!;
    };

    it('runs the newest OpenSearch 2.x, encrypted at rest and between nodes, over HTTPS with TLS 1.2+ only', () => {
      for (const template of [dev, prod]) {
        expect(domainOf(template).Properties).toMatchObject({
          EngineVersion: 'OpenSearch_2.19',
          EncryptionAtRestOptions: { Enabled: true },
          NodeToNodeEncryptionOptions: { Enabled: true },
          DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
        });
      }
    });

    it('has no resource-based access policy and is not in a VPC: access is by IAM identity policies only', () => {
      const { Properties } = domainOf(dev);
      expect(Properties.AccessPolicies).toBeUndefined();
      expect(Properties.VPCOptions).toBeUndefined();
      expect(dev.findResources('Custom::OpenSearchAccessPolicy')).toEqual({});
    });

    it('sizes its nodes and gp3 volumes from the config', () => {
      expect(domainOf(dev).Properties).toMatchObject({
        ClusterConfig: { InstanceType: 't3.small.search', InstanceCount: 1, DedicatedMasterEnabled: false },
        EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 10 },
      });
      expect(domainOf(prod).Properties).toMatchObject({
        ClusterConfig: { InstanceType: 'r6g.large.search', InstanceCount: 2 },
        EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 100 },
      });
    });

    it('spreads prod over 2 availability zones, and keeps dev in one', () => {
      expect(domainOf(prod).Properties.ClusterConfig).toMatchObject({
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 2 },
        MultiAZWithStandbyEnabled: false,
      });
      expect(domainOf(dev).Properties.ClusterConfig.ZoneAwarenessEnabled).toBe(false);
    });

    it('publishes slow-search, slow-index and application logs to log groups kept for the retention', () => {
      const domain = domainOf(dev);
      const options = domain.Properties.LogPublishingOptions;
      expect(Object.keys(options).sort()).toEqual([
        'ES_APPLICATION_LOGS',
        'INDEX_SLOW_LOGS',
        'SEARCH_SLOW_LOGS',
      ]);
      const groups = dev.findResources('AWS::Logs::LogGroup');
      for (const option of Object.values(options) as { Enabled: boolean; CloudWatchLogsLogGroupArn: any }[]) {
        expect(option.Enabled).toBe(true);
        const [groupId] = option.CloudWatchLogsLogGroupArn['Fn::GetAtt'];
        expect(groups[groupId]!.Properties.RetentionInDays).toBe(14);
      }
      // The service may write them through one resource policy declared in the template (no custom resource),
      // which exists before the domain.
      const [policyId, policy] = Object.entries(dev.findResources('AWS::Logs::ResourcePolicy'))[0]!;
      const document = JSON.stringify(policy.Properties.PolicyDocument);
      expect(document).toContain('{\\"Service\\":\\"es.amazonaws.com\\"}');
      expect(document).toContain('aws:SourceAccount');
      expect(domain.DependsOn).toContain(policyId);
      expect(dev.findResources('Custom::CloudwatchLogResourcePolicy')).toEqual({});
      Template.fromStack(stages.prod.stateful).hasResourceProperties('AWS::Logs::LogGroup', {
        RetentionInDays: 365,
      });
    });

    it('is deleted with a throwaway environment and kept in prod', () => {
      expect(domainOf(dev).DeletionPolicy).toBe('Delete');
      expect(domainOf(prod).DeletionPolicy).toBe('Retain');
    });
  });

  describe('SPA routing function', () => {
    const route = (uri: string): string => {
      const context = vm.createContext({});
      vm.runInContext(SPA_ROUTING_CODE, context);
      return (context.handler as (event: unknown) => { uri: string })({ request: { uri } }).uri;
    };

    it('answers app routes with index.html', () => {
      expect(route('/')).toBe('/index.html');
      expect(route('/products/p-123')).toBe('/index.html');
      expect(route('/orders/')).toBe('/index.html');
    });

    it('passes files through, so a missing asset is not answered with a page', () => {
      expect(route('/config.json')).toBe('/config.json');
      expect(route('/assets/index-3f2a.js')).toBe('/assets/index-3f2a.js');
    });
  });
});

function buildTestPlatformWithDomain() {
  const config = cdkJsonPlatformConfig();
  config.environments.prod.website = {
    domainName: 'shop.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  };
  return buildTestPlatform(config);
}
