import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Logger, metrics and tracer of a function, created once at module scope. Service name, metrics
 * namespace and log level come from the POWERTOOLS_* variables that PlatformFunction sets.
 */
export function observability() {
  return { logger: new Logger(), metrics: new Metrics(), tracer: new Tracer() };
}

export type Observability = ReturnType<typeof observability>;
