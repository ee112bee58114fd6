import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PLACEHOLDER_SITE_DIRECTORY } from '../stage';
import { buildTestPlatform } from '../testing/platform-app';

const { app, stages } = buildTestPlatform();
const template = Template.fromStack(stages.dev.websiteContent);
const deployment = Object.values(template.findResources('Custom::CDKBucketDeployment'))[0]!;

/** The files of one deployment source, as the assembly staged them. */
function stagedSource(index: number): string {
  const key: string = deployment.Properties.SourceObjectKeys[index];
  return path.join(app.synth().directory, `asset.${key.replace(/\.zip$/, '')}`);
}

describe('WebsiteContentStack', () => {
  it('deploys the site and its config.json into the website bucket, pruning old files', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    expect(deployment.Properties).toMatchObject({
      SourceObjectKeys: [expect.any(String), expect.any(String)],
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/*'],
    });
    expect(JSON.stringify(deployment.Properties.DestinationBucketName)).toContain('WebsiteBucket');
  });

  it('keeps the deployment logs for the retention of the environment', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^WebsiteContentDeploymentLogs') } },
    });
  });

  it('invalidates the storefront distribution after each deployment', () => {
    expect(JSON.stringify(deployment.Properties.DistributionId)).toContain('WebsiteDistribution');
  });

  it('writes config.json from the stage outputs at deploy time', () => {
    const config = JSON.parse(fs.readFileSync(path.join(stagedSource(1), 'config.json'), 'utf8'));
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

  it('ships the placeholder storefront, a page that reads config.json', () => {
    const site = stagedSource(0);
    expect(fs.readdirSync(site).sort()).toEqual(fs.readdirSync(PLACEHOLDER_SITE_DIRECTORY).sort());
    expect(fs.readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('<script src="/app.js" defer>');
    expect(fs.readFileSync(path.join(site, 'app.js'), 'utf8')).toContain("fetch('/config.json'");
  });
});
