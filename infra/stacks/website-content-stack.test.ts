import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { App, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { WebsiteContent } from '../constructs/website-content';
import { buildTestPlatform, TEST_SITE_DIRECTORY } from '../testing/platform-app';

const { app, stages } = buildTestPlatform();
const template = Template.fromStack(stages.dev.websiteContent);
const deployments = template.findResources('Custom::CDKBucketDeployment');
const logicalIdOf = (prefix: string) => Object.keys(deployments).find((id) => id.startsWith(prefix))!;
const deploymentId = logicalIdOf('WebsiteContentDeploymentCustomResource');
const deployment = deployments[deploymentId]!;
const hashedAssets = deployments[logicalIdOf('WebsiteContentHashedAssetsCustomResource')]!;

/** The files of one deployment source, as the assembly staged them. */
function stagedSource(resource: Record<string, any>, index: number): string {
  const key: string = resource.Properties.SourceObjectKeys[index];
  return path.join(app.synth().directory, `asset.${key.replace(/\.zip$/, '')}`);
}

function filesUnder(directory: string): string[] {
  return fs
    .readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('WebsiteContentStack', () => {
  it('deploys the content-hashed files under assets/, cached for a year, keeping those of earlier builds', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 2);
    expect(hashedAssets.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'assets/',
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(hashedAssets.Properties.DistributionPaths).toBeUndefined();
    // Source maps are for debugging, not for the public.
    expect(filesUnder(stagedSource(hashedAssets, 0))).toEqual(['index-Bx7Kq2Lm.js']);
  });

  it('then deploys index.html and the other files, revalidated on every visit, pruning what the build no longer has', () => {
    expect(deployment.Properties).toMatchObject({
      SourceObjectKeys: [expect.any(String), expect.any(String)],
      Prune: true,
      Exclude: ['assets/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(JSON.stringify(deployment.Properties.DestinationBucketName)).toContain('WebsiteBucket');
    expect(filesUnder(stagedSource(deployment, 0))).toEqual(['favicon.svg', 'index.html']);
    expect(template.toJSON().Resources[deploymentId].DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^WebsiteContentHashedAssets/)]),
    );
  });

  it('refuses a site folder with no index.html, saying how to build it', () => {
    const stack = new Stack(new App(), 'Site');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const distribution = new cloudfront.Distribution(stack, 'Distribution', {
      defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(bucket) },
    });
    expect(
      () =>
        new WebsiteContent(stack, 'Content', {
          siteDirectory: path.join(TEST_SITE_DIRECTORY, 'assets'),
          bucket,
          distribution,
          runtimeConfig: {
            environment: 'dev',
            region: 'us-east-1',
            userPoolId: 'p',
            userPoolClientId: 'c',
            apiUrl: 'u/',
          },
          logRetention: logs.RetentionDays.ONE_WEEK,
        }),
    ).toThrow(/has no index\.html\. Build the storefront first: npm run build/);
  });

  it('keeps the deployment logs for the retention of the environment', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^WebsiteContentDeploymentLogs') } },
    });
  });

  it('invalidates index.html and config.json, the only files that change under the same name', () => {
    expect(JSON.stringify(deployment.Properties.DistributionId)).toContain('WebsiteDistribution');
    expect(deployment.Properties.DistributionPaths).toEqual(['/', '/index.html', '/config.json']);
  });

  it('writes config.json from the stage outputs at deploy time', () => {
    const config = JSON.parse(fs.readFileSync(path.join(stagedSource(deployment, 1), 'config.json'), 'utf8'));
    expect(config).toEqual({
      environment: 'dev',
      region: 'us-east-1',
      userPoolId: expect.stringMatching(/^<<marker:0xbaba:\d+>>$/),
      userPoolClientId: expect.stringMatching(/^<<marker:0xbaba:\d+>>$/),
      apiUrl: expect.stringMatching(
        /^https:\/\/<<marker:0xbaba:\d+>>\.execute-api\.us-east-1\.<<marker:0xbaba:\d+>>\/<<marker:0xbaba:\d+>>\/$/,
      ),
    });
    const markers = JSON.stringify(deployment.Properties.SourceMarkers[1]);
    expect(markers).toContain('ShopperIdentityUserPool');
    expect(markers).toContain('ShopperIdentityUserPoolWebClient');
    // The API's id and stage, read from the Api stack's outputs.
    expect(markers).toContain('"StackName":"dev-Api"');
    expect(markers).toContain('EcommerceApiRestApi');
  });
});
