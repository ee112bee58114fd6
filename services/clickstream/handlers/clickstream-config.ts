import { z } from 'zod';
import { loadEnvironment } from '../../shared/environment';

/** The ClickstreamProcessor's environment, as the infra sets it. */
export const clickstreamEnvironment = z.object({
  /** The delivery stream that writes the analytics lake. */
  FIREHOSE_STREAM_NAME: z.string().min(1),
  /** The table of live per-minute aggregates. */
  ANALYTICS_TABLE_NAME: z.string().min(1),
  /** The Personalize event tracker's tracking id; empty while Personalize is not set up (nothing is sent). */
  PERSONALIZE_TRACKING_ID: z.string(),
  /** Where invalid records are kept, under `errors/processor/`. */
  QUARANTINE_BUCKET_NAME: z.string().min(1),
});

export interface ClickstreamConfig {
  readonly firehoseStreamName: string;
  readonly analyticsTableName: string;
  /** Absent while Personalize is not set up. */
  readonly personalizeTrackingId?: string;
  readonly quarantineBucketName: string;
}

/** The processor's configuration, from its environment. @throws Error naming each missing or invalid variable */
export function clickstreamConfigFrom(env: NodeJS.ProcessEnv = process.env): ClickstreamConfig {
  const variables = loadEnvironment(clickstreamEnvironment, env);
  return {
    firehoseStreamName: variables.FIREHOSE_STREAM_NAME,
    analyticsTableName: variables.ANALYTICS_TABLE_NAME,
    ...(variables.PERSONALIZE_TRACKING_ID !== '' && {
      personalizeTrackingId: variables.PERSONALIZE_TRACKING_ID,
    }),
    quarantineBucketName: variables.QUARANTINE_BUCKET_NAME,
  };
}
