import { GatewayError, type GatewayAnswer } from './gateway-responses';
import { MappedIntegration } from './integration-responses';
import type { TemplateVariables } from './mapping-templates';
import { compileMapping, type Mapping, type MappingSources } from './parameter-mapping';
import type { IntegrationDefinition } from './integration-definition';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

type KinesisIntegrationDefinition = Extract<IntegrationDefinition, { type: 'AWS' }>;

/** What a Kinesis integration needs of the platform. */
export interface KinesisTarget {
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Such as `http://127.0.0.1:4567`. */
  readonly endpoint: string;
}

/**
 * An AWS service integration with a Kinesis action (`arn:aws:apigateway:<region>:kinesis:action/PutRecords`),
 * as API Gateway runs it: the request template renders the body of the action, sent to Kinesis's
 * JSON API (`X-Amz-Target: Kinesis_20131202.<Action>`) signed with SigV4; the integration response
 * whose SelectionPattern matches Kinesis's HTTP status shapes the answer.
 */
export class KinesisIntegration {
  private readonly mapping: MappedIntegration;
  private readonly requestHeaders: readonly [string, Mapping][];

  constructor(
    private readonly definition: KinesisIntegrationDefinition,
    private readonly target: KinesisTarget,
  ) {
    this.mapping = new MappedIntegration(definition);
    this.requestHeaders = Object.entries(definition.requestHeaders).map(
      ([header, expression]) => [header, compileMapping(expression)] as [string, Mapping],
    );
  }

  async invoke(
    contentType: string | undefined,
    variables: TemplateVariables,
    sources: Omit<MappingSources, 'integrationResponse'>,
    accept: readonly string[],
  ): Promise<GatewayAnswer> {
    const body = this.mapping.requestBody(contentType, variables);
    const url = new URL(this.target.endpoint);
    // Header names in lower case: a mapped Content-Type replaces the default one.
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Kinesis_20131202.${this.definition.action}`,
    };
    for (const [header, mapping] of this.requestHeaders) {
      const value = mapping(sources);
      if (value !== undefined) headers[header.toLowerCase()] = value;
    }
    const signer = new SignatureV4({
      service: 'kinesis',
      region: this.target.region,
      credentials: this.target.credentials,
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      path: '/',
      headers: { ...headers, host: url.host },
      body,
    });
    // fetch sets the host header itself.
    const signedHeaders = Object.fromEntries(
      Object.entries(signed.headers).filter(([name]) => name !== 'host'),
    );
    const answer = await this.send(url, signedHeaders, body);
    return this.mapping.methodResponse(String(answer.status), answer, sources, accept);
  }

  private async send(
    url: URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    try {
      const response = await fetch(new URL('/', url), {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.definition.timeoutMs),
      });
      const text = await response.text();
      return { status: response.status, headers: Object.fromEntries(response.headers), body: text };
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        throw new GatewayError('INTEGRATION_TIMEOUT', 'Endpoint request timed out');
      }
      throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error', {
        cause: new Error(`Kinesis at ${url.origin} did not answer: ${(error as Error).message}`),
      });
    }
  }
}
