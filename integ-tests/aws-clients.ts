import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { platformUnderTest } from './platform';

/**
 * The AWS SDK clients of the suite, for the stage's region, with the default credential chain (the
 * pipeline step's role, or the local platform's credentials) and endpoints (the real services, or
 * the local emulators through `AWS_ENDPOINT_URL_<SERVICE>`).
 */
const { region } = platformUnderTest();

export const cognito = new CognitoIdentityProviderClient({ region });

/** HTTP/1.1: the Kinesis client's default HTTP/2 handler fails against the local emulators; AWS takes either. */
export const kinesis = new KinesisClient({ region, requestHandler: new NodeHttpHandler() });

/**
 * Checksums only where S3 requires them: the local S3 (s3rver) neither sends nor checks the
 * optional ones. A local endpoint is an IP address, for which the SDK addresses buckets by path.
 */
export const s3 = new S3Client({
  region,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
