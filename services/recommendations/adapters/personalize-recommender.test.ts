import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  startPersonalizeRuntimeStandIn,
  type PersonalizeRuntimeStandIn,
} from '../../../local/personalize/personalize-runtime-stand-in';
import { startSsmStandIn, type SsmStandIn } from '../../../local/ssm/ssm-stand-in';
import {
  NOT_TRAINED_MAX_AGE_SECONDS,
  PersonalizeRecommender,
  type PersonalizeCall,
} from './personalize-recommender';

const PREFIX = '/ecommerce/test/recommenders';
const CAMPAIGN = 'arn:aws:personalize:us-east-1:000000000000:campaign/for-you';
const RECOMMENDER = 'arn:aws:personalize:us-east-1:000000000000:recommender/trending-now';
const FILTER = 'arn:aws:personalize:us-east-1:000000000000:filter/exclude-purchased';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let ssm: SsmStandIn;
let personalize: PersonalizeRuntimeStandIn;
let ssmClient: SSMClient;
let personalizeClient: PersonalizeRuntimeClient;

beforeAll(async () => {
  [ssm, personalize] = await Promise.all([startSsmStandIn(), startPersonalizeRuntimeStandIn()]);
  ssmClient = new SSMClient({ endpoint: ssm.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  personalizeClient = new PersonalizeRuntimeClient({
    endpoint: personalize.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  ssmClient.destroy();
  personalizeClient.destroy();
  await Promise.all([ssm.stop(), personalize.stop()]);
});

beforeEach(() => {
  ssm.reset();
  personalize.reset();
});

/** A recommender with a cache of its own (a new Powertools provider), and the calls it reported. */
function recommenderWith(now = Date.now) {
  const provider = new SSMProvider({ awsSdkV3Client: ssmClient });
  const calls: PersonalizeCall[] = [];
  const recommender = new PersonalizeRecommender({
    client: personalizeClient,
    readParameter: (name, options) => provider.get(name, options),
    parameterPrefix: PREFIX,
    onCall: (call) => calls.push(call),
    now,
  });
  return { recommender, calls };
}
const signal = () => new AbortController().signal;
const trained = (type: string, value: object) => ssm.put(`${PREFIX}/${type}`, JSON.stringify(value));

describe('PersonalizeRecommender', () => {
  it('asks the campaign of for-you for the shopper, with the filter that leaves out purchases', async () => {
    trained('for-you', { campaignArn: CAMPAIGN, filterArn: FILTER });
    personalize.serve(CAMPAIGN, [{ itemId: 'kit-0001', score: 0.7 }, 'kit-0002']);
    const { recommender, calls } = recommenderWith();

    const items = await recommender.recommend(
      { type: 'for-you', userId: 'user-1', numResults: 30 },
      signal(),
    );

    expect(items).toEqual([{ itemId: 'kit-0001', score: 0.7 }, { itemId: 'kit-0002' }]);
    expect(personalize.calls).toEqual([
      { campaignArn: CAMPAIGN, userId: 'user-1', filterArn: FILTER, numResults: 30 },
    ]);
    expect(calls).toEqual([{ type: 'for-you', latencyMs: expect.any(Number), outcome: 'answered' }]);
  });

  it('asks a recommender for trending without a user, and then without the filter', async () => {
    trained('trending', { recommenderArn: RECOMMENDER, filterArn: FILTER });
    personalize.serve(RECOMMENDER, ['out-0001']);

    await recommenderWith().recommender.recommend({ type: 'trending', numResults: 10 }, signal());

    expect(personalize.calls).toEqual([{ recommenderArn: RECOMMENDER, numResults: 10 }]);
  });

  it('asks about the item for similar and bought-together lists', async () => {
    trained('similar', { campaignArn: CAMPAIGN });
    personalize.serve(CAMPAIGN, ['kit-0002']);

    await recommenderWith().recommender.recommend(
      { type: 'similar', itemId: 'kit-0001', numResults: 5 },
      signal(),
    );

    expect(personalize.calls).toEqual([{ campaignArn: CAMPAIGN, itemId: 'kit-0001', numResults: 5 }]);
  });

  it('says "not trained yet" when there is no parameter, without calling Personalize, and believes it a minute', async () => {
    let now = 1_000_000;
    const { recommender } = recommenderWith(() => now);
    const ask = () => recommender.recommend({ type: 'trending', numResults: 10 }, signal());

    await expect(ask()).resolves.toEqual({ notAvailable: expect.stringContaining('trending') });
    await expect(ask()).resolves.toEqual({ notAvailable: expect.any(String) });
    expect(ssm.calls).toHaveLength(1);
    expect(personalize.calls).toHaveLength(0);

    trained('trending', { recommenderArn: RECOMMENDER });
    personalize.serve(RECOMMENDER, ['out-0001']);
    now += NOT_TRAINED_MAX_AGE_SECONDS * 1000;
    await expect(ask()).resolves.toEqual([{ itemId: 'out-0001' }]);
  });

  it('says "not trained yet" for a parameter that names neither a campaign nor a recommender', async () => {
    trained('for-you', { filterArn: FILTER });

    await expect(
      recommenderWith().recommender.recommend({ type: 'for-you', userId: 'u', numResults: 5 }, signal()),
    ).resolves.toEqual({ notAvailable: expect.any(String) });
  });

  it('says for-you needs a user, without reading anything', async () => {
    await expect(
      recommenderWith().recommender.recommend({ type: 'for-you', numResults: 5 }, signal()),
    ).resolves.toEqual({ notAvailable: 'for-you needs a user' });
    expect(ssm.calls).toHaveLength(0);
  });

  it('fails on a parameter that is not valid, naming it', async () => {
    trained('trending', { campaignArn: CAMPAIGN, recommenderArn: RECOMMENDER });

    await expect(
      recommenderWith().recommender.recommend({ type: 'trending', numResults: 5 }, signal()),
    ).rejects.toThrow(`${PREFIX}/trending`);
  });

  it('fails when SSM fails: an error, not "not trained"', async () => {
    ssm.fail();

    await expect(
      recommenderWith().recommender.recommend({ type: 'trending', numResults: 5 }, signal()),
    ).rejects.toThrow();
  });

  it('fails when Personalize fails, and reports the failed call', async () => {
    trained('trending', { recommenderArn: RECOMMENDER });
    personalize.serve(RECOMMENDER, ['out-0001']);
    personalize.fail();
    const { recommender, calls } = recommenderWith();

    await expect(recommender.recommend({ type: 'trending', numResults: 5 }, signal())).rejects.toMatchObject({
      $metadata: { httpStatusCode: 500 },
    });
    expect(calls).toEqual([{ type: 'trending', latencyMs: expect.any(Number), outcome: 'failed' }]);
  });

  it('gives up a slow call when its signal aborts, and reports it as aborted', async () => {
    trained('trending', { recommenderArn: RECOMMENDER });
    personalize.serve(RECOMMENDER, ['out-0001']);
    personalize.slow(60_000);
    const { recommender, calls } = recommenderWith();
    const controller = new AbortController();

    const asking = recommender.recommend({ type: 'trending', numResults: 5 }, controller.signal);
    while (personalize.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();

    await expect(asking).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toEqual([{ type: 'trending', latencyMs: expect.any(Number), outcome: 'aborted' }]);
  });
});
