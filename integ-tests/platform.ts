/**
 * Where the platform under test is. The pipeline passes a deployed stage's outputs as environment
 * variables (see PlatformStage.testEnvironment); a developer can point the suite at any stage the
 * same way.
 */
export interface PlatformUnderTest {
  readonly websiteUrl: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /** The shop API's base URL, ending in the stage name (`.../v1/`). */
  readonly apiUrl: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. The integration tests need a running platform: the pipeline sets ${name} ` +
        'from the stage outputs; by hand, copy it from the outputs of the stage\'s "Stateful" or "Api" stack.',
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
  };
}
