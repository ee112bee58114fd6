import * as vm from 'node:vm';
import type { IntrinsicResolver } from '../template/intrinsics';
import type { StageTemplates } from '../template/stage-templates';

/** A CloudFront viewer request as CloudFront Functions receive it (the parts the site's functions read). */
export interface ViewerRequest {
  method: string;
  uri: string;
  querystring: Record<string, { value: string }>;
  headers: Record<string, { value: string }>;
}

/** What a viewer-request function returns: the request, changed or not, or a response of its own. */
export type ViewerRequestResult =
  | { readonly kind: 'request'; readonly request: ViewerRequest }
  | {
      readonly kind: 'response';
      readonly statusCode: number;
      readonly headers: Record<string, string>;
      readonly body: string;
    };

/** The storefront's distribution, as the local origin serves it. */
export interface LocalDistribution {
  /** The S3 bucket (logical id and stack) behind the default behaviour. */
  readonly origin: { readonly stackName: string; readonly logicalId: string };
  readonly defaultRootObject?: string;
  /** Runs the default behaviour's viewer-request CloudFront Functions, in order. */
  viewerRequest(request: ViewerRequest): ViewerRequestResult;
}

interface DistributionConfig {
  DefaultRootObject?: string;
  Origins?: { Id: string; DomainName: unknown }[];
  DefaultCacheBehavior?: {
    TargetOriginId?: string;
    FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
  };
}

/**
 * The stage's `AWS::CloudFront::Distribution`: its S3 origin and its viewer-request CloudFront
 * Functions, whose code (from the template) runs here in a `vm` context, so the site is routed
 * locally exactly as CloudFront routes it.
 * @throws Error when the stage has no distribution or more than one, or its origin is not an S3 bucket of the stage.
 */
export function localDistribution(stage: StageTemplates, resolver: IntrinsicResolver): LocalDistribution {
  const distributions = stage.resourcesOfType('AWS::CloudFront::Distribution');
  const [distribution, ...others] = distributions;
  if (!distribution || others.length > 0) {
    throw new Error(
      `The local platform serves one CloudFront distribution; the stage has ${distributions.length}`,
    );
  }
  const { stackName, logicalId, properties } = distribution;
  const where = `${stackName}/${logicalId}`;
  const config = properties.DistributionConfig as DistributionConfig;
  const behaviour = config.DefaultCacheBehavior ?? {};
  const origin = config.Origins?.find((candidate) => candidate.Id === behaviour.TargetOriginId);
  const bucket = origin && resolver.reference(stackName, origin.DomainName, `${where} origin DomainName`);
  if (!bucket || bucket.type !== 'AWS::S3::Bucket') {
    throw new Error(
      `${where}: the default behaviour's origin must be an S3 bucket of the stage to be served locally`,
    );
  }
  const functions = (behaviour.FunctionAssociations ?? [])
    .filter((association) => association.EventType === 'viewer-request')
    .map((association) => {
      const fn = resolver.reference(stackName, association.FunctionARN, `${where} FunctionAssociations`);
      const code = String(stage.resource(fn.stackName, fn.logicalId).properties.FunctionCode);
      return new vm.Script(`${code}\nhandler;`, {
        filename: `${fn.stackName}/${fn.logicalId}.js`,
      }).runInNewContext({}) as (event: unknown) => unknown;
    });
  return {
    origin: { stackName: bucket.stackName, logicalId: bucket.logicalId },
    ...(config.DefaultRootObject && { defaultRootObject: config.DefaultRootObject }),
    viewerRequest(request) {
      let current = request;
      for (const handler of functions) {
        const result = handler({
          version: '1.0',
          context: { eventType: 'viewer-request' },
          viewer: { ip: '127.0.0.1' },
          request: current,
        }) as
          | (ViewerRequest & { statusCode?: undefined })
          | {
              statusCode: number;
              headers?: Record<string, { value: string }>;
              body?: string | { data: string };
            };
        if (typeof result.statusCode === 'number') {
          const response = result as {
            statusCode: number;
            headers?: Record<string, { value: string }>;
            body?: string | { data: string };
          };
          return {
            kind: 'response',
            statusCode: response.statusCode,
            headers: Object.fromEntries(
              Object.entries(response.headers ?? {}).map(([name, { value }]) => [name, value]),
            ),
            body: typeof response.body === 'string' ? response.body : (response.body?.data ?? ''),
          };
        }
        current = result as ViewerRequest;
      }
      return { kind: 'request', request: current };
    },
  };
}
