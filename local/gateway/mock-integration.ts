import type { GatewayAnswer } from './gateway-responses';
import { MappedIntegration } from './integration-responses';
import type { TemplateVariables } from './mapping-templates';
import type { MappingSources } from './parameter-mapping';
import type { IntegrationDefinition } from './integration-definition';

type MockIntegrationDefinition = Extract<IntegrationDefinition, { type: 'MOCK' }>;

/**
 * A MOCK integration, such as a CORS preflight: the request template says the status
 * (`{ statusCode: 200 }`), which selects the integration response (by SelectionPattern, else the
 * default) whose headers and template make the answer.
 */
export class MockIntegration {
  private readonly mapping: MappedIntegration;

  constructor(definition: MockIntegrationDefinition) {
    this.mapping = new MappedIntegration(definition);
  }

  invoke(
    contentType: string | undefined,
    variables: TemplateVariables,
    sources: Omit<MappingSources, 'integrationResponse'>,
    accept: readonly string[],
  ): GatewayAnswer {
    const rendered = this.mapping.requestBody(contentType, variables);
    const statusCode = /["']?statusCode["']?\s*:\s*"?(\d{3})/.exec(rendered)?.[1] ?? '200';
    return this.mapping.methodResponse(statusCode, { headers: {}, body: '' }, sources, accept);
  }
}
