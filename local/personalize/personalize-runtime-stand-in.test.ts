import {
  GetRecommendationsCommand,
  PersonalizeRuntimeClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-personalize-runtime';
import {
  startPersonalizeRuntimeStandIn,
  type PersonalizeRuntimeStandIn,
} from './personalize-runtime-stand-in';

const CAMPAIGN = 'arn:aws:personalize:us-east-1:000000000000:campaign/for-you';
const RECOMMENDER = 'arn:aws:personalize:us-east-1:000000000000:recommender/trending-now';

describe('Personalize Runtime stand-in', () => {
  let personalize: PersonalizeRuntimeStandIn;
  let client: PersonalizeRuntimeClient;

  beforeAll(async () => {
    personalize = await startPersonalizeRuntimeStandIn();
    client = new PersonalizeRuntimeClient({
      endpoint: personalize.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await personalize.stop();
  });

  beforeEach(() => personalize.reset());

  it("answers GetRecommendations with the campaign's items, at most numResults, and records the call", async () => {
    personalize.serve(CAMPAIGN, [{ itemId: 'kit-0001', score: 0.5 }, 'kit-0002', 'kit-0003']);

    const { itemList } = await client.send(
      new GetRecommendationsCommand({
        campaignArn: CAMPAIGN,
        userId: 'user-1',
        numResults: 2,
        filterArn: 'arn:aws:personalize:us-east-1:000000000000:filter/exclude-purchased',
      }),
    );

    expect(itemList).toEqual([{ itemId: 'kit-0001', score: 0.5 }, { itemId: 'kit-0002' }]);
    expect(personalize.calls).toEqual([
      {
        campaignArn: CAMPAIGN,
        userId: 'user-1',
        numResults: 2,
        filterArn: 'arn:aws:personalize:us-east-1:000000000000:filter/exclude-purchased',
      },
    ]);
  });

  it('serves a recommender without a user, and items chosen per call', async () => {
    personalize.serve(RECOMMENDER, (call) => [`for-${call.itemId ?? 'everyone'}`]);

    const { itemList } = await client.send(new GetRecommendationsCommand({ recommenderArn: RECOMMENDER }));

    expect(itemList).toEqual([{ itemId: 'for-everyone' }]);
    expect(personalize.calls[0]).toMatchObject({ recommenderArn: RECOMMENDER, numResults: 25 });
  });

  it('answers an ARN it was given nothing for with ResourceNotFoundException', async () => {
    await expect(
      client.send(new GetRecommendationsCommand({ campaignArn: CAMPAIGN, userId: 'user-1' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses a call naming both a campaign and a recommender, as Personalize does', async () => {
    personalize.serve(CAMPAIGN, ['kit-0001']);

    await expect(
      client.send(
        new GetRecommendationsCommand({ campaignArn: CAMPAIGN, recommenderArn: RECOMMENDER, userId: 'u' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('fails calls with HTTP 500 while it is told to', async () => {
    personalize.serve(CAMPAIGN, ['kit-0001']);
    personalize.fail({ times: 1 });

    const call = () => client.send(new GetRecommendationsCommand({ campaignArn: CAMPAIGN, userId: 'u' }));
    await expect(call()).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    await expect(call()).resolves.toMatchObject({ itemList: [{ itemId: 'kit-0001' }] });
  });

  it('answers late while it is told to be slow, and drops a call its client gave up on', async () => {
    personalize.serve(CAMPAIGN, ['kit-0001']);
    personalize.slow(60_000);

    const controller = new AbortController();
    const call = client.send(new GetRecommendationsCommand({ campaignArn: CAMPAIGN, userId: 'u' }), {
      abortSignal: controller.signal,
    });
    await waitFor(() => personalize.calls.length === 1);
    controller.abort();

    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    personalize.clearFaults();
    await expect(
      client.send(new GetRecommendationsCommand({ campaignArn: CAMPAIGN, userId: 'u' })),
    ).resolves.toMatchObject({ itemList: [{ itemId: 'kit-0001' }] });
  });

  it('is reached through AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME, as a function configured by its environment is', async () => {
    personalize.serve(CAMPAIGN, ['kit-0001']);
    const previous = process.env.AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME;
    process.env.AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME = personalize.endpoint;
    const fromEnvironment = new PersonalizeRuntimeClient({ maxAttempts: 1 });
    try {
      await expect(
        fromEnvironment.send(new GetRecommendationsCommand({ campaignArn: CAMPAIGN, userId: 'u' })),
      ).resolves.toMatchObject({ itemList: [{ itemId: 'kit-0001' }] });
    } finally {
      fromEnvironment.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME;
      else process.env.AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME = previous;
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
