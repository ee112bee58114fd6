import { PutEventsCommand, type PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import { chunks } from '../../catalog/adapters/retry-unprocessed';
import type { Interaction, InteractionTracker } from '../domain/ports';
import { settleWithConcurrency } from '../../shared/concurrency';

/** Personalize's limit: a PutEvents call carries at most 10 events, of one user's one session. */
export const PERSONALIZE_EVENTS_PER_CALL = 10;

export interface PersonalizeInteractionTrackerOptions {
  readonly personalize: PersonalizeEventsClient;
  /** The event tracker's tracking id. */
  readonly trackingId: string;
  /**
   * PutEvents calls in flight at once.
   * @default 4
   */
  readonly concurrency?: number;
}

/**
 * Sends interactions to a Personalize event tracker with PutEvents: one call per user and session
 * for every ten interactions. Best effort: a failed call is counted, not retried beyond the SDK's
 * own retries.
 */
export class PersonalizeInteractionTracker implements InteractionTracker {
  constructor(private readonly options: PersonalizeInteractionTrackerOptions) {}

  async track(interactions: readonly Interaction[]): Promise<{ failed: number; reason?: string }> {
    const calls = [...groupBySession(interactions).values()].flatMap((session) =>
      chunks(session, PERSONALIZE_EVENTS_PER_CALL),
    );
    const settled = await settleWithConcurrency(calls, this.options.concurrency ?? 4, (events) =>
      this.putEvents(events),
    );
    let failed = 0;
    let reason: string | undefined;
    settled.forEach((result, index) => {
      if (result.status === 'fulfilled') return;
      failed += calls[index]?.length ?? 0;
      reason ??= `Personalize PutEvents failed: ${(result.reason as Error).name}: ${(result.reason as Error).message}`;
    });
    return { failed, ...(reason !== undefined && { reason }) };
  }

  private async putEvents(events: readonly Interaction[]): Promise<void> {
    const [first] = events;
    if (!first) return;
    await this.options.personalize.send(
      new PutEventsCommand({
        trackingId: this.options.trackingId,
        userId: first.userId,
        sessionId: first.sessionId,
        eventList: events.map((interaction) => ({
          eventId: interaction.eventId,
          eventType: interaction.eventType,
          itemId: interaction.itemId,
          sentAt: interaction.sentAt,
        })),
      }),
    );
  }
}

function groupBySession(interactions: readonly Interaction[]): Map<string, Interaction[]> {
  const sessions = new Map<string, Interaction[]>();
  for (const interaction of interactions) {
    const key = JSON.stringify([interaction.userId, interaction.sessionId]);
    const session = sessions.get(key);
    if (session) session.push(interaction);
    else sessions.set(key, [interaction]);
  }
  return sessions;
}
