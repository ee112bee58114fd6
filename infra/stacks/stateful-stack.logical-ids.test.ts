import { Template } from 'aws-cdk-lib/assertions';
import { buildTestPlatform } from '../testing/platform-app';

/**
 * The logical id of a resource that holds data (or an address people use) is its identity in
 * CloudFormation: a changed id deletes the old resource and creates an empty one. These ids are
 * pinned. A failure here means a refactoring moved or renamed a construct: put it back (or give
 * it `overrideLogicalId`), and never "update" this list without a migration plan. A new stateful
 * resource is added to the list on purpose.
 */
const PINNED_LOGICAL_IDS: Record<string, string[]> = {
  'AWS::S3::Bucket': ['AccessLogBucketDA470295', 'WebsiteBucket4326D7C2', 'ClickstreamBucketD2103901'],
  'AWS::DynamoDB::Table': ['OrdersTable315BB997', 'ProductsTable241ADBFF', 'AnalyticsTable3F84C304'],
  'AWS::Kinesis::Stream': ['ClickstreamStream3FFDB429'],
  'AWS::Cognito::UserPool': ['ShopperIdentityUserPool916C1B00'],
  'AWS::Cognito::UserPoolClient': ['ShopperIdentityUserPoolWebClientF57152DD'],
  'AWS::Cognito::UserPoolGroup': ['ShopperIdentityAdminGroup4945C052'],
  'AWS::CloudFront::Distribution': ['WebsiteDistribution0C86AB5B'],
  'AWS::OpenSearchService::Domain': ['SearchDomainFDC494A0'],
  'AWS::Personalize::DatasetGroup': ['PersonalizationDatasetGroupF58C840A'],
  'AWS::Personalize::Schema': ['PersonalizationInteractionsSchema5B0BC2B0'],
  'AWS::Personalize::Dataset': ['PersonalizationInteractions15559CAD'],
};

const { stages } = buildTestPlatform();

describe.each(Object.values(stages).map((stage) => [stage.stageName, stage] as const))(
  'stateful resources of %s',
  (_name, stage) => {
    const template = Template.fromStack(stage.stateful);

    it.each(Object.entries(PINNED_LOGICAL_IDS))('keep the logical ids of every %s', (type, ids) => {
      expect(Object.keys(template.findResources(type)).sort()).toEqual([...ids].sort());
    });
  },
);
