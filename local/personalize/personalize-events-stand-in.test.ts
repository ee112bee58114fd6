import { PersonalizeEventsClient, PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { startPersonalizeEventsStandIn, type PersonalizeEventsStandIn } from './personalize-events-stand-in';

describe('Personalize Events stand-in', () => {
  let personalize: PersonalizeEventsStandIn;
  let client: PersonalizeEventsClient;

  beforeAll(async () => {
    personalize = await startPersonalizeEventsStandIn();
    client = new PersonalizeEventsClient({
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

  const putEvents = (eventCount = 1) =>
    client.send(
      new PutEventsCommand({
        trackingId: 'tracker-1',
        userId: 'user-1',
        sessionId: 'session-1',
        eventList: Array.from({ length: eventCount }, (_, index) => ({
          eventId: `event-${index}`,
          eventType: 'product_view',
          itemId: 'p-mug',
          sentAt: new Date('2026-11-25T20:34:05.000Z'),
        })),
      }),
    );

  it('records the events of a PutEvents call with their user, session and sentAt in epoch seconds', async () => {
    await putEvents(2);

    expect(personalize.calls).toHaveLength(1);
    expect(personalize.events()).toEqual([
      {
        trackingId: 'tracker-1',
        userId: 'user-1',
        sessionId: 'session-1',
        eventId: 'event-0',
        eventType: 'product_view',
        itemId: 'p-mug',
        sentAt: Date.parse('2026-11-25T20:34:05.000Z') / 1000,
      },
      expect.objectContaining({ eventId: 'event-1' }),
    ]);
  });

  it('refuses a call of more than ten events, as Personalize does', async () => {
    await expect(putEvents(11)).rejects.toMatchObject({ name: 'InvalidInputException' });
    expect(personalize.calls).toHaveLength(0);
  });

  it('fails calls with HTTP 500 while it is told to', async () => {
    personalize.fail({ times: 1 });

    await expect(putEvents()).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    await expect(putEvents()).resolves.toBeDefined();
    expect(personalize.calls).toHaveLength(1);
  });

  it('throttles calls with HTTP 429 ThrottlingException when told to', async () => {
    personalize.fail({ throttle: true });

    await expect(putEvents()).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429 },
    });
    personalize.clearFaults();
    await expect(putEvents()).resolves.toBeDefined();
  });
});
