/**
 * Where the platform under test is. The pipeline passes a deployed stage's outputs as environment
 * variables (see PlatformStage.testEnvironment); without them, the suite's global setup starts the
 * local platform and sets the same variables (global-setup.ts). A developer can point the suite at
 * any deployed stage the same way, with credentials that may use its stream, user pool and lake.
 */
export interface PlatformUnderTest {
  readonly websiteUrl: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /** The shop API's base URL, ending with a slash (`.../v1/`, or `.../api/` locally). */
  readonly apiUrl: string;
  /** The stream `POST /events` writes to. */
  readonly clickstreamStreamName: string;
  /** The analytics lake. */
  readonly clickstreamBucketName: string;
  /**
   * Where Firehose writes the clickstream in the lake, as Firehose's prefix expression, such as
   * `clickstream/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/`.
   */
  readonly clickstreamLakePrefix: string;
  /** The region of the stage, which the AWS SDK clients use (`AWS_REGION`). */
  readonly region: string;
}

/** Which stack output each variable comes from, for the error message of a missing one. */
const SOURCES: Record<string, string> = {
  WEBSITE_URL: 'the WebsiteUrl output of the stage\'s "Stateful" stack',
  USER_POOL_ID: 'the UserPoolId output of the stage\'s "Stateful" stack',
  USER_POOL_CLIENT_ID: 'the UserPoolClientId output of the stage\'s "Stateful" stack',
  API_URL: 'the ApiUrl output of the stage\'s "Api" stack',
  CLICKSTREAM_STREAM_NAME: 'the ClickstreamStreamName output of the stage\'s "Stateful" stack',
  CLICKSTREAM_BUCKET_NAME: 'the ClickstreamBucketName output of the stage\'s "Stateful" stack',
  CLICKSTREAM_LAKE_PREFIX: 'the ClickstreamLakePrefix output of the stage\'s "Clickstream" stack',
  AWS_REGION: "the stage's region",
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. The integration tests run against the local platform when API_URL is not set, ` +
        `or against the deployed stage whose outputs the environment holds: the pipeline sets ${name} from ` +
        `${SOURCES[name] ?? 'the stage outputs'}; by hand, copy it from there.`,
    );
  }
  return value;
}

export function platformUnderTest(): PlatformUnderTest {
  return {
    websiteUrl: required('WEBSITE_URL').replace(/\/$/, ''),
    userPoolId: required('USER_POOL_ID'),
    userPoolClientId: required('USER_POOL_CLIENT_ID'),
    apiUrl: required('API_URL').replace(/\/?$/, '/'),
    clickstreamStreamName: required('CLICKSTREAM_STREAM_NAME'),
    clickstreamBucketName: required('CLICKSTREAM_BUCKET_NAME'),
    clickstreamLakePrefix: required('CLICKSTREAM_LAKE_PREFIX'),
    region: required('AWS_REGION'),
  };
}
