import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { ParameterNotFoundError } from '@aws-lambda-powertools/parameters/errors';
import { startSsmStandIn, type SsmStandIn } from './ssm-stand-in';

describe('SSM stand-in', () => {
  let ssm: SsmStandIn;
  let client: SSMClient;

  beforeAll(async () => {
    ssm = await startSsmStandIn();
    client = new SSMClient({
      endpoint: ssm.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await ssm.stop();
  });

  beforeEach(() => ssm.reset());

  it('stores a parameter with PutParameter and returns it with GetParameter', async () => {
    await expect(
      client.send(new PutParameterCommand({ Name: '/shop/dev/greeting', Value: 'hello', Type: 'String' })),
    ).resolves.toMatchObject({ Version: 1 });

    const { Parameter } = await client.send(new GetParameterCommand({ Name: '/shop/dev/greeting' }));

    expect(Parameter).toMatchObject({
      Name: '/shop/dev/greeting',
      Type: 'String',
      Value: 'hello',
      Version: 1,
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/shop/dev/greeting',
    });
    expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date);
  });

  it('answers an unknown name with ParameterNotFound', async () => {
    await expect(client.send(new GetParameterCommand({ Name: '/nothing/here' }))).rejects.toBeInstanceOf(
      ParameterNotFound,
    );
  });

  it('refuses to overwrite without Overwrite, and counts versions when overwriting', async () => {
    ssm.put('/shop/dev/greeting', 'hello');

    await expect(
      client.send(new PutParameterCommand({ Name: '/shop/dev/greeting', Value: 'bye' })),
    ).rejects.toBeInstanceOf(ParameterAlreadyExists);
    await expect(
      client.send(new PutParameterCommand({ Name: '/shop/dev/greeting', Value: 'bye', Overwrite: true })),
    ).resolves.toMatchObject({ Version: 2 });
  });

  it('lists the names it does not know as InvalidParameters in GetParameters', async () => {
    ssm.put('/a', '1');

    const result = await client.send(new GetParametersCommand({ Names: ['/a', '/b'] }));

    expect(result.Parameters?.map((parameter) => parameter.Value)).toEqual(['1']);
    expect(result.InvalidParameters).toEqual(['/b']);
  });

  it('deletes a parameter', async () => {
    ssm.put('/a', '1');

    await client.send(new DeleteParameterCommand({ Name: '/a' }));

    await expect(client.send(new GetParameterCommand({ Name: '/a' }))).rejects.toBeInstanceOf(
      ParameterNotFound,
    );
  });

  it('serves Powertools Parameters: JSON values, and ParameterNotFoundError for a missing one', async () => {
    ssm.put('/shop/dev/recommenders/for-you', JSON.stringify({ campaignArn: 'arn:aws:personalize:x' }));
    const provider = new SSMProvider({ awsSdkV3Client: client });

    await expect(
      provider.get('/shop/dev/recommenders/for-you', { transform: 'json', throwOnMissing: true }),
    ).resolves.toEqual({ campaignArn: 'arn:aws:personalize:x' });
    await expect(
      provider.get('/shop/dev/recommenders/trending', { transform: 'json', throwOnMissing: true }),
    ).rejects.toBeInstanceOf(ParameterNotFoundError);
  });

  it('fails calls with HTTP 500 while it is told to', async () => {
    ssm.put('/a', '1');
    ssm.fail({ times: 1 });

    await expect(client.send(new GetParameterCommand({ Name: '/a' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 500 },
    });
    await expect(client.send(new GetParameterCommand({ Name: '/a' }))).resolves.toBeDefined();
  });
});
