import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { documentClient } from '../../shared/dynamodb';
import { loadEnvironment } from '../../shared/environment';
import { observability } from '../../shared/powertools';
import { DynamoDbMinuteAggregateReader } from '../adapters/dynamodb-minute-aggregates';
import { createRealtimeAnalyticsApi } from './realtime-analytics-routes';

/** The Lambda function behind /analytics/realtime (wiring only; the route is in realtime-analytics-routes.ts). */
const env = loadEnvironment(
  z.object({
    ANALYTICS_TABLE_NAME: z.string().min(3),
    ALLOWED_ORIGIN: z.url(),
  }),
);
const tools = observability();
const documents = documentClient(tools.tracer.captureAWSv3Client(new DynamoDBClient({})));

export const handler = createRealtimeAnalyticsApi({
  ...tools,
  allowedOrigin: env.ALLOWED_ORIGIN,
  reader: new DynamoDbMinuteAggregateReader({ documents, tableName: env.ANALYTICS_TABLE_NAME }),
});
