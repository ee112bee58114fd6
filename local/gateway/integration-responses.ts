import { GatewayError, type GatewayAnswer } from './gateway-responses';
import {
  compileMappingTemplate,
  mediaTypeOf,
  PayloadNotJsonError,
  selectTemplate,
  type MappingTemplate,
  type TemplateVariables,
} from './mapping-templates';
import { compileMapping, headerValue, type Mapping, type MappingSources } from './parameter-mapping';
import type { IntegrationResponseDefinition, PassthroughBehavior } from './integration-definition';

/**
 * The request and response mapping of a non-proxy integration (AWS service, MOCK), compiled once:
 * the request template chosen by content type under the PassthroughBehavior; the integration
 * response chosen by SelectionPattern; its template and headers.
 */
export class MappedIntegration {
  private readonly requestTemplates: Readonly<Record<string, MappingTemplate>>;
  private readonly responses: readonly CompiledResponse[];
  private readonly passthroughBehavior: PassthroughBehavior;

  constructor(definition: {
    readonly requestTemplates: Readonly<Record<string, string>>;
    readonly passthroughBehavior: PassthroughBehavior;
    readonly integrationResponses: readonly IntegrationResponseDefinition[];
  }) {
    this.passthroughBehavior = definition.passthroughBehavior;
    this.requestTemplates = compileTemplates(definition.requestTemplates);
    this.responses = definition.integrationResponses.map((response) => ({
      statusCode: Number(response.statusCode),
      ...(response.selectionPattern && {
        selectionPattern: new RegExp(`^(?:${response.selectionPattern})$`, 's'),
      }),
      templates: compileTemplates(response.responseTemplates),
      headers: Object.entries(response.responseHeaders).map(
        ([header, expression]) => [header, compileMapping(expression)] as [string, Mapping],
      ),
    }));
  }

  /**
   * The integration request body: the request template of the request's content type, rendered;
   * or the body as is, when the PassthroughBehavior lets it through; else a 415.
   */
  requestBody(contentType: string | undefined, variables: TemplateVariables): string {
    const mediaType = mediaTypeOf(contentType) ?? 'application/json';
    const selected = selectTemplate(this.requestTemplates, [mediaType], false);
    if (!selected) {
      const hasTemplates = Object.keys(this.requestTemplates).length > 0;
      const passThrough =
        this.passthroughBehavior === 'WHEN_NO_MATCH' ||
        (this.passthroughBehavior === 'WHEN_NO_TEMPLATES' && !hasTemplates);
      if (!passThrough) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type');
      return variables.input.body;
    }
    try {
      return selected[1](variables);
    } catch (error) {
      if (error instanceof PayloadNotJsonError) {
        throw new GatewayError(
          'BAD_REQUEST_BODY',
          `Could not parse request body into json: ${error.message}`,
        );
      }
      throw error;
    }
  }

  /**
   * The method response of an integration answer: the integration response whose SelectionPattern
   * matches `selector` (for AWS integrations, the HTTP status of the service), else the default.
   */
  methodResponse(
    selector: string,
    integrationAnswer: { headers: Readonly<Record<string, string>>; body: string },
    sources: Omit<MappingSources, 'integrationResponse'>,
    accept: readonly string[],
  ): GatewayAnswer {
    const response =
      this.responses.find((candidate) => candidate.selectionPattern?.test(selector)) ??
      this.responses.find((candidate) => !candidate.selectionPattern);
    if (!response) {
      // API Gateway: "No match for output mapping and no default output mapping specified".
      throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error');
    }
    const selected = selectTemplate(response.templates, accept, true);
    const body = selected
      ? selected[1]({
          input: {
            body: integrationAnswer.body,
            params: {
              path: sources.method.path,
              querystring: sources.method.query,
              header: sources.method.headers,
            },
          },
          context: sources.context,
          stageVariables: sources.stageVariables,
        })
      : integrationAnswer.body;
    const headers: Record<string, string> = {
      'Content-Type':
        selected?.[0] ?? headerValue(integrationAnswer.headers, 'content-type') ?? 'application/json',
    };
    for (const [header, mapping] of response.headers) {
      const value = mapping({ ...sources, integrationResponse: integrationAnswer });
      if (value !== undefined) headers[header] = value;
    }
    return { statusCode: response.statusCode, headers, body };
  }
}

interface CompiledResponse {
  readonly statusCode: number;
  readonly selectionPattern?: RegExp;
  readonly templates: Readonly<Record<string, MappingTemplate>>;
  readonly headers: readonly [string, Mapping][];
}

function compileTemplates(texts: Readonly<Record<string, string>>): Record<string, MappingTemplate> {
  return Object.fromEntries(
    Object.entries(texts).map(([contentType, text]) => [contentType, compileMappingTemplate(text)]),
  );
}
