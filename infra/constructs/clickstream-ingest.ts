import { Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import {
  INGEST_FAILED_TEMPLATE,
  INGEST_UNAVAILABLE_TEMPLATE,
  PUT_RECORDS_RESPONSE_TEMPLATE,
  putRecordsRequestTemplate,
} from './clickstream-ingest-templates';
// One list of event types: the request model accepts exactly what the processor understands.
import { SHOP_EVENT_TYPES } from '../../services/clickstream/domain/shop-event';

/** Events one `POST /events` request may carry (the storefront sends them in small batches). */
export const MAX_EVENTS_PER_REQUEST = 25;

export interface ClickstreamIngestProps {
  /** The resource that receives `POST`, such as `/events`. */
  readonly resource: apigateway.IResource;
  /** Where the events go: one Kinesis record per event, keyed by session. */
  readonly stream: kinesis.IStream;
  /** Checks the body against the model before anything is written. */
  readonly requestValidator: apigateway.IRequestValidator;
  /** The storefront's origin, echoed in the CORS header of every answer. */
  readonly allowedOrigin: string;
}

/**
 * `POST /events`: the storefront's clickstream, written to Kinesis by an API Gateway service
 * integration (`PutRecords`), with no function in the path. Public (anonymous shoppers browse
 * too), validated by a JSON schema model (a malformed body is a 400 and writes nothing), and answered
 * with `{ "accepted": n, "failed": n, "retry": [index, ...] }`, `retry` naming the events to send
 * again. The integration's role may call `kinesis:PutRecords` on the clickstream stream and nothing
 * else.
 */
export class ClickstreamIngest extends Construct {
  public readonly method: apigateway.Method;
  /** Assumed by API Gateway to write to the stream. */
  public readonly role: iam.Role;
  public readonly model: apigateway.Model;

  constructor(scope: Construct, id: string, props: ClickstreamIngestProps) {
    super(scope, id);
    const restApi = props.resource.api;

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Assumed by API Gateway for POST /events: writes clickstream events to the stream',
    });
    props.stream.grant(this.role, 'kinesis:PutRecords');

    this.model = new apigateway.Model(this, 'EventsModel', {
      restApi,
      contentType: 'application/json',
      description: `POST /events: 1 to ${MAX_EVENTS_PER_REQUEST} clickstream events`,
      schema: eventsRequestSchema(),
    });

    const corsHeaders = {
      'method.response.header.Access-Control-Allow-Origin': `'${props.allowedOrigin}'`,
      'method.response.header.Vary': "'Origin'",
      'method.response.header.x-request-id': 'context.requestId',
    };
    const jsonResponse = (statusCode: string, template: string, selectionPattern?: string) => ({
      statusCode,
      selectionPattern,
      responseParameters: corsHeaders,
      responseTemplates: { 'application/json': template },
    });

    const integration = new apigateway.AwsIntegration({
      service: 'kinesis',
      action: 'PutRecords',
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: this.role,
        // A body of another content type is refused (415) rather than passed to Kinesis as is.
        passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
        requestParameters: {
          'integration.request.header.Content-Type': "'application/x-amz-json-1.1'",
        },
        requestTemplates: { 'application/json': putRecordsRequestTemplate(props.stream.streamName) },
        // For an AWS service integration, the selection pattern matches the service's HTTP status.
        integrationResponses: [
          jsonResponse('200', PUT_RECORDS_RESPONSE_TEMPLATE),
          jsonResponse('500', INGEST_FAILED_TEMPLATE, '4\\d{2}'),
          jsonResponse('503', INGEST_UNAVAILABLE_TEMPLATE, '5\\d{2}'),
        ],
      },
    });

    const methodResponseParameters = Object.fromEntries(
      Object.keys(corsHeaders).map((header) => [header, true]),
    );
    this.method = props.resource.addMethod('POST', integration, {
      authorizationType: apigateway.AuthorizationType.NONE,
      requestValidator: props.requestValidator,
      requestModels: { 'application/json': this.model },
      methodResponses: ['200', '500', '503'].map((statusCode) => ({
        statusCode,
        responseParameters: methodResponseParameters,
      })),
    });
    Validations.of(this.method).acknowledge(
      ...['AwsSolutions-APIG4', 'AwsSolutions-COG4'].map((ruleId) => ({
        id: ruleId,
        reason:
          'POST /events is public: anonymous shoppers browse too, and their clickstream is recorded before ' +
          'anyone signs in. The body is validated by its model, the method is throttled on its own.',
      })),
    );
  }
}

/** The JSON schema (draft 4) of a `POST /events` body. */
export function eventsRequestSchema(): apigateway.JsonSchema {
  const { STRING, INTEGER, OBJECT, ARRAY } = apigateway.JsonSchemaType;
  const text = (minLength: number, maxLength: number): apigateway.JsonSchema => ({
    type: STRING,
    minLength,
    maxLength,
  });
  return {
    schema: apigateway.JsonSchemaVersion.DRAFT4,
    title: 'ClickstreamEvents',
    type: OBJECT,
    required: ['events'],
    additionalProperties: false,
    properties: {
      events: {
        type: ARRAY,
        minItems: 1,
        maxItems: MAX_EVENTS_PER_REQUEST,
        items: {
          type: OBJECT,
          required: ['eventId', 'type', 'sessionId', 'timestamp'],
          additionalProperties: false,
          properties: {
            eventId: text(1, 64),
            type: { type: STRING, enum: [...SHOP_EVENT_TYPES] },
            sessionId: text(1, 128),
            timestamp: text(1, 64),
            userId: text(1, 128),
            productId: text(1, 128),
            query: text(1, 200),
            price: { type: INTEGER, minimum: 0 },
            quantity: { type: INTEGER, minimum: 1, maximum: 100 },
            orderId: text(1, 128),
          },
        },
      },
    },
  };
}
