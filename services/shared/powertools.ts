import { search } from '@aws-lambda-powertools/jmespath';
import type { JSONObject } from '@aws-lambda-powertools/commons/types';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Logger, metrics and tracer of a function, created once at module scope. Service name, metrics
 * namespace and log level come from the POWERTOOLS_* variables that PlatformFunction sets.
 */
export function observability() {
  // The search function lets `injectLambdaContext({ correlationIdPath })` find the correlation id.
  return {
    logger: new Logger({
      correlationIdSearchFn: (expression: string, data: unknown) => search(expression, data as JSONObject),
    }),
    metrics: new Metrics(),
    tracer: new Tracer(),
  };
}

export type Observability = ReturnType<typeof observability>;
