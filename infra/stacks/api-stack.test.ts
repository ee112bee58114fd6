import { Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { hashSampleCatalogData } from '../constructs/catalog';
import { buildTestPlatform, cdkJsonPlatformConfig } from '../testing/platform-app';

const { stages } = buildTestPlatform();
const dev = Template.fromStack(stages.dev.api);
const staging = Template.fromStack(stages.staging.api);
const prod = Template.fromStack(stages.prod.api);
const config = cdkJsonPlatformConfig();

type Resources = Record<string, any>;

/** Every method of the REST API by "VERB /path", resolved from its resource chain. */
function methodsOf(template: Template): Record<string, any> {
  const resources: Resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (parent: any): string => {
    if (parent['Fn::GetAtt']) return '';
    const resource = resources[parent.Ref]!.Properties;
    return `${pathOf(resource.ParentId)}/${resource.PathPart}`;
  };
  const methods: Resources = template.findResources('AWS::ApiGateway::Method');
  return Object.fromEntries(
    Object.values(methods).map(({ Properties }) => [
      `${Properties.HttpMethod} ${Properties.ResourceId.Ref ? pathOf(Properties.ResourceId) : '/'}`,
      Properties,
    ]),
  );
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** The statements of every identity policy attached to the role whose logical id starts with `rolePrefix`. */
function statementsOf(template: Template, rolePrefix: string): Statement[] {
  const policies: Resources = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter(({ Properties }) => Properties.Roles.some((role: any) => role.Ref.startsWith(rolePrefix)))
    .flatMap(({ Properties }) => Properties.PolicyDocument.Statement);
}

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

const methods = methodsOf(dev);
const routes = Object.keys(methods).filter((route) => !route.startsWith('OPTIONS'));
/** The routes served by a function: every one but POST /events. */
const functionRoutes = routes.filter((route) => route !== 'POST /events');

describe('ApiStack', () => {
  describe('REST API', () => {
    it('serves the catalog, orders, analytics and recommendations routes by a Lambda proxy integration, and POST /events', () => {
      expect(routes.sort()).toEqual([
        'GET /analytics/realtime',
        'GET /orders',
        'GET /orders/search',
        'GET /orders/{orderId}',
        'GET /products',
        'GET /products/{productId}',
        'GET /recommendations',
        'POST /events',
        'POST /orders',
      ]);
      const target = (route: string) => JSON.stringify(methods[route].Integration.Uri);
      const handlerOf = (route: string) =>
        route.includes('/orders')
          ? 'OrdersOrderProcessing'
          : route.includes('/analytics')
            ? 'RealtimeAnalyticsAnalyticsApi'
            : route.includes('/recommendations')
              ? 'RecommendationsRecommendationsApi'
              : 'CatalogProductsApi';
      for (const route of functionRoutes) {
        expect(methods[route].Integration).toMatchObject({
          Type: 'AWS_PROXY',
          IntegrationHttpMethod: 'POST',
        });
        expect(target(route)).toContain(handlerOf(route));
      }
    });

    it('authorizes every /orders and /analytics method with the Cognito user pool authorizer, and no /products method', () => {
      const [authorizerId, authorizer] = Object.entries(dev.findResources('AWS::ApiGateway::Authorizer'))[0]!;
      expect(authorizer.Properties).toMatchObject({
        Type: 'COGNITO_USER_POOLS',
        IdentitySource: 'method.request.header.Authorization',
      });
      expect(JSON.stringify(authorizer.Properties.ProviderARNs)).toContain('ShopperIdentityUserPool');
      for (const route of routes.filter((r) => r.includes('/orders') || r.includes('/analytics'))) {
        expect(methods[route]).toMatchObject({
          AuthorizationType: 'COGNITO_USER_POOLS',
          AuthorizerId: { Ref: authorizerId },
        });
      }
      for (const route of routes.filter((r) => r.includes('/products'))) {
        expect(methods[route].AuthorizationType).toBe('NONE');
        expect(methods[route].AuthorizerId).toBeUndefined();
      }
    });

    it('validates POST /orders: a required Idempotency-Key header, and a body with items and shippingAddress', () => {
      const [validatorId] = Object.keys(dev.findResources('AWS::ApiGateway::RequestValidator'));
      dev.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
      const placeOrder = methods['POST /orders'];
      expect(placeOrder.RequestValidatorId).toEqual({ Ref: validatorId });
      expect(placeOrder.RequestParameters).toEqual({ 'method.request.header.Idempotency-Key': true });
      const modelId = placeOrder.RequestModels['application/json'].Ref;
      expect(dev.findResources('AWS::ApiGateway::Model')[modelId]!.Properties).toMatchObject({
        ContentType: 'application/json',
        Schema: {
          type: 'object',
          required: ['items', 'shippingAddress'],
          properties: { items: { type: 'array' }, shippingAddress: { type: 'object' } },
        },
      });
      for (const route of routes) {
        expect(methods[route].RequestValidatorId).toEqual({ Ref: validatorId });
      }
    });

    it('answers CORS preflights for the storefront origin only, with the headers the storefront sends', () => {
      const preflights = Object.entries(methods).filter(([route]) => route.startsWith('OPTIONS'));
      expect(preflights.map(([route]) => route).sort()).toEqual([
        'OPTIONS /',
        'OPTIONS /analytics',
        'OPTIONS /analytics/realtime',
        'OPTIONS /events',
        'OPTIONS /orders',
        'OPTIONS /orders/search',
        'OPTIONS /orders/{orderId}',
        'OPTIONS /products',
        'OPTIONS /products/{productId}',
        'OPTIONS /recommendations',
      ]);
      for (const [, method] of preflights) {
        const headers = method.Integration.IntegrationResponses[0].ResponseParameters;
        expect(headers['method.response.header.Access-Control-Allow-Origin']).toEqual({
          'Fn::Join': ['', ["'https://", { 'Fn::GetStackOutput': expect.anything() }, "'"]],
        });
        expect(JSON.stringify(headers['method.response.header.Access-Control-Allow-Origin'])).toContain(
          'WebsiteDistribution',
        );
        expect(headers['method.response.header.Access-Control-Allow-Headers']).toBe(
          "'Authorization,Content-Type,Idempotency-Key'",
        );
        expect(headers['method.response.header.Access-Control-Expose-Headers']).toBe("'x-request-id'");
        expect(headers['method.response.header.Vary']).toBe("'Origin'");
      }
    });

    it("answers API Gateway's own errors in JSON with the request id, readable by the storefront", () => {
      const responses = Object.values(dev.findResources('AWS::ApiGateway::GatewayResponse')).map(
        (response) => response.Properties,
      );
      const byType = Object.fromEntries(responses.map((response) => [response.ResponseType, response]));
      expect(Object.keys(byType).sort()).toEqual([
        'BAD_REQUEST_BODY',
        'BAD_REQUEST_PARAMETERS',
        'DEFAULT_4XX',
        'DEFAULT_5XX',
      ]);
      for (const response of responses) {
        expect(
          JSON.stringify(response.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']),
        ).toContain('WebsiteDistribution');
      }
      const bodyOf = (type: string): string => byType[type].ResponseTemplates['application/json'];
      for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
        expect(bodyOf(type)).toBe(
          '{"message":$context.error.messageString,"requestId":"$context.requestId"}',
        );
      }
      for (const type of ['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS']) {
        // Valid JSON once API Gateway substitutes the variables.
        const rendered = JSON.parse(
          bodyOf(type)
            .replace('$context.error.validationErrorString', 'object has missing required properties')
            .replace('$context.requestId', 'req-1'),
        );
        expect(rendered).toEqual({
          message: 'Invalid request',
          errors: [{ path: '(request)', message: 'object has missing required properties' }],
          requestId: 'req-1',
        });
      }
    });

    it('writes JSON access logs kept for the access-log retention, error logs, metrics and traces', () => {
      const [stage] = Object.values(dev.findResources('AWS::ApiGateway::Stage'));
      const { AccessLogSetting, MethodSettings, TracingEnabled } = stage!.Properties;
      const logGroupId = JSON.stringify(AccessLogSetting.DestinationArn).match(
        /"Ref":"(EcommerceApiAccessLogs\w+)"/,
      )![1]!;
      expect(dev.findResources('AWS::Logs::LogGroup')[logGroupId]!.Properties.RetentionInDays).toBe(30);
      expect(prod.findResources('AWS::Logs::LogGroup')[logGroupId]!.Properties.RetentionInDays).toBe(365);
      const format = JSON.parse(AccessLogSetting.Format);
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        httpMethod: '$context.httpMethod',
        resourcePath: '$context.resourcePath',
        status: '$context.status',
      });
      // The stage's settings, and POST /events's own (the same logs and metrics, its own throttling).
      const logsAndMetrics = { LoggingLevel: 'ERROR', DataTraceEnabled: false, MetricsEnabled: true };
      expect(MethodSettings).toEqual([
        expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', ...logsAndMetrics }),
        expect.objectContaining({ HttpMethod: 'POST', ResourcePath: '/~1events', ...logsAndMetrics }),
      ]);
      expect(TracingEnabled).toBe(true);
      // Execution logs need API Gateway's account-level CloudWatch role.
      dev.resourceCountIs('AWS::ApiGateway::Account', 1);
    });

    it('throttles the stage as the config of each environment says', () => {
      for (const [template, env] of [
        [dev, config.environments.dev],
        [prod, config.environments.prod],
      ] as const) {
        template.hasResourceProperties('AWS::ApiGateway::Stage', {
          MethodSettings: Match.arrayWith([
            Match.objectLike({
              HttpMethod: '*',
              ResourcePath: '/*',
              ThrottlingRateLimit: env.api.throttlingRateLimit,
              ThrottlingBurstLimit: env.api.throttlingBurstLimit,
            }),
          ]),
        });
      }
      expect(config.environments.dev.api.throttlingRateLimit).not.toBe(
        config.environments.prod.api.throttlingRateLimit,
      );
    });

    it.each([
      ['staging', staging],
      ['prod', prod],
    ] as const)(
      'puts the stage of %s behind a WAF web ACL: per-IP rate limit and AWS managed rules',
      (name, template) => {
        template.resourceCountIs('AWS::WAFv2::WebACL', 1);
        const [webAclId, webAcl] = Object.entries(template.findResources('AWS::WAFv2::WebACL'))[0]!;
        expect(webAcl.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
        const rules = webAcl.Properties.Rules;
        expect(rules[0]).toMatchObject({
          Name: 'RateLimitPerIp',
          Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
          Statement: {
            RateBasedStatement: {
              AggregateKeyType: 'IP',
              Limit: config.environments[name].api.waf.requestsPer5MinutesPerIp,
              EvaluationWindowSec: 300,
            },
          },
        });
        expect(rules.slice(1).map((rule: any) => rule.Statement.ManagedRuleGroupStatement)).toEqual([
          { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
          { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' },
        ]);
        for (const visibility of [webAcl.Properties, ...rules].map((item: any) => item.VisibilityConfig)) {
          expect(visibility).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
        }
        const [association] = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation'));
        expect(association!.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
        const stageArn = JSON.stringify(association!.Properties.ResourceArn);
        expect(stageArn).toContain('/restapis/');
        expect(stageArn).toMatch(/"Ref":"EcommerceApiRestApiDeploymentStagev1\w+"/);
      },
    );

    it('has no web ACL in dev, where the config turns it off', () => {
      dev.resourceCountIs('AWS::WAFv2::WebACL', 0);
      dev.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    });

    it('publishes the URL of its stage as the ApiUrl output, which the integration tests receive', () => {
      dev.hasOutput('ApiUrl', {
        Value: {
          'Fn::Join': [
            '',
            [
              'https://',
              { Ref: Match.stringLikeRegexp('^EcommerceApiRestApi') },
              '.execute-api.us-east-1.',
              { Ref: 'AWS::URLSuffix' },
              '/',
              { Ref: Match.stringLikeRegexp('^EcommerceApiRestApiDeploymentStagev1') },
              '/',
            ],
          ],
        },
      });
      expect(stages.dev.testEnvironment.API_URL).toBe(stages.dev.api.outputs.apiUrl);
    });
  });

  describe('POST /events', () => {
    const events = methods['POST /events'];

    it('is an AWS service integration to Kinesis PutRecords on the clickstream stream, with no function', () => {
      expect(events.Integration).toMatchObject({
        Type: 'AWS',
        IntegrationHttpMethod: 'POST',
        Uri: 'arn:aws:apigateway:us-east-1:kinesis:action/PutRecords',
        PassthroughBehavior: 'NEVER',
        RequestParameters: { 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" },
        Credentials: { 'Fn::GetAtt': [expect.stringMatching(/^EcommerceApiClickstreamIngestRole/), 'Arn'] },
      });
      expect(JSON.stringify(events.Integration)).not.toMatch(/lambda|Function/i);
      expect(Object.keys(events.Integration.RequestTemplates)).toEqual(['application/json']);
      expect(JSON.stringify(events.Integration.RequestTemplates)).toContain(
        'PublishOutputRefClickstreamStream3FFDB429',
      );
    });

    it('is public: no authorizer, and cdk-nag APIG4 and COG4 acknowledged on the public methods only', () => {
      expect(events.AuthorizationType).toBe('NONE');
      expect(events.AuthorizerId).toBeUndefined();
      const acknowledgedOn = (rule: string) =>
        stages.dev.api.api.restApi.node
          .findAll()
          .filter((construct): construct is apigateway.Method => construct instanceof apigateway.Method)
          .filter((method) =>
            method.node.metadata.some(
              (entry) =>
                entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY &&
                Object.keys(entry.data as object).some((id) => id.endsWith(rule)),
            ),
          )
          .map((method) => `${method.httpMethod} ${method.resource.path}`)
          .sort();
      for (const rule of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
        expect(acknowledgedOn(rule)).toEqual([
          'GET /products',
          'GET /products/{productId}',
          'GET /recommendations',
          'POST /events',
        ]);
      }
    });

    it('validates the body against the events model: 1 to 25 events of known types, no other field', () => {
      const [validatorId] = Object.keys(dev.findResources('AWS::ApiGateway::RequestValidator'));
      expect(events.RequestValidatorId).toEqual({ Ref: validatorId });
      const modelId = events.RequestModels['application/json'].Ref;
      const { Schema, ContentType } = dev.findResources('AWS::ApiGateway::Model')[modelId]!.Properties;
      expect(ContentType).toBe('application/json');
      expect(Schema).toMatchObject({
        $schema: 'http://json-schema.org/draft-04/schema#',
        type: 'object',
        required: ['events'],
        additionalProperties: false,
        properties: {
          events: {
            type: 'array',
            minItems: 1,
            maxItems: 25,
            items: {
              type: 'object',
              required: ['eventId', 'type', 'sessionId', 'timestamp'],
              additionalProperties: false,
            },
          },
        },
      });
      const { properties } = Schema.properties.events.items;
      expect(properties).toEqual({
        eventId: { type: 'string', minLength: 1, maxLength: 64 },
        type: {
          type: 'string',
          enum: [
            'page_view',
            'product_view',
            'search',
            'add_to_cart',
            'remove_from_cart',
            'checkout_start',
            'purchase',
          ],
        },
        sessionId: { type: 'string', minLength: 1, maxLength: 128 },
        timestamp: { type: 'string', minLength: 1, maxLength: 64 },
        userId: { type: 'string', minLength: 1, maxLength: 128 },
        productId: { type: 'string', minLength: 1, maxLength: 128 },
        query: { type: 'string', minLength: 1, maxLength: 200 },
        price: { type: 'integer', minimum: 0 },
        quantity: { type: 'integer', minimum: 1, maximum: 100 },
        orderId: { type: 'string', minLength: 1, maxLength: 128 },
      });
    });

    it('is throttled on its own, as the config of each environment says', () => {
      for (const [template, env] of [
        [dev, config.environments.dev],
        [staging, config.environments.staging],
        [prod, config.environments.prod],
      ] as const) {
        template.hasResourceProperties('AWS::ApiGateway::Stage', {
          MethodSettings: Match.arrayWith([
            Match.objectLike({
              HttpMethod: 'POST',
              ResourcePath: '/~1events',
              ThrottlingRateLimit: env.api.eventsRateLimit,
              ThrottlingBurstLimit: env.api.eventsBurstLimit,
            }),
          ]),
        });
      }
    });

    it('answers 200 with the PutRecords counts, 500 when Kinesis refuses, 503 when it fails, with CORS headers', () => {
      const responses = events.Integration.IntegrationResponses;
      expect(responses.map((r: any) => [r.StatusCode, r.SelectionPattern])).toEqual([
        ['200', undefined],
        ['500', '4\\d{2}'],
        ['503', '5\\d{2}'],
      ]);
      for (const response of responses) {
        expect(Object.keys(response.ResponseTemplates)).toEqual(['application/json']);
        expect(
          JSON.stringify(response.ResponseParameters['method.response.header.Access-Control-Allow-Origin']),
        ).toContain('WebsiteDistribution');
        expect(response.ResponseParameters['method.response.header.Vary']).toBe("'Origin'");
        expect(response.ResponseParameters['method.response.header.x-request-id']).toBe('context.requestId');
      }
      for (const type of ['500', '503']) {
        const body = responses.find((r: any) => r.StatusCode === type).ResponseTemplates['application/json'];
        expect(JSON.parse(body.replace('$context.requestId', 'req-1'))).toEqual({
          message: expect.any(String),
          requestId: 'req-1',
        });
      }
      expect(events.MethodResponses.map((r: any) => r.StatusCode)).toEqual(['200', '500', '503']);
    });

    it('writes with a role that API Gateway assumes and that may only call kinesis:PutRecords on the stream', () => {
      const roles = Object.entries(dev.findResources('AWS::IAM::Role')).filter(([id]) =>
        id.startsWith('EcommerceApiClickstreamIngestRole'),
      );
      expect(roles).toHaveLength(1);
      expect(roles[0]![1].Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Principal: { Service: 'apigateway.amazonaws.com' }, Effect: 'Allow' }),
      ]);
      expect(roles[0]![1].Properties.ManagedPolicyArns).toBeUndefined();
      expect(statementsOf(dev, 'EcommerceApiClickstreamIngestRole')).toEqual([
        {
          Effect: 'Allow',
          Action: 'kinesis:PutRecords',
          Resource: {
            'Fn::GetStackOutput': expect.objectContaining({
              OutputName: expect.stringMatching(/^PublishOutputFnGetAttClickstreamStream3FFDB429Arn/),
            }),
          },
        },
      ]);
    });
  });

  describe('OrderIndexer', () => {
    it('reads the orders stream in batches, bisecting failures, retrying 5 times, then sending them to its DLQ', () => {
      const mapping = Object.values(dev.findResources('AWS::Lambda::EventSourceMapping')).find((candidate) =>
        candidate.Properties.FunctionName.Ref.startsWith('OrdersOrderIndexer'),
      );
      expect(mapping!.Properties).toMatchObject({
        FunctionName: { Ref: expect.stringMatching(/^OrdersOrderIndexer/) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 5,
        MaximumRecordAgeInSeconds: 86400,
        DestinationConfig: {
          OnFailure: {
            Destination: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersIndexerDeadLetterQueue/), 'Arn'] },
          },
        },
      });
      expect(JSON.stringify(mapping!.Properties.EventSourceArn)).toContain('OrdersTable315BB997StreamArn');
    });

    it('has an encrypted, TLS-only DLQ that keeps messages 14 days', () => {
      dev.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1209600,
      });
      dev.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('functions', () => {
    const functions = Object.entries(dev.findResources('AWS::Lambda::Function'));
    const variablesOf = (prefix: string) =>
      functions.find(([id]) => id.startsWith(prefix))![1].Properties.Environment.Variables;
    const openSearchEndpoint = {
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'dev-Stateful' }) }],
      ],
    };

    it('all run on Node.js 24 on ARM64, the provider framework included', () => {
      expect(functions).toHaveLength(8);
      for (const [, fn] of functions) {
        expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      }
    });

    it('publish their metrics in the EcommercePlatform namespace, under their own service name', () => {
      const services = [
        'OrdersOrderProcessing',
        'OrdersOrderIndexer',
        'CatalogProductsApi',
        'CatalogCatalogSeed',
        'RealtimeAnalyticsAnalyticsApi',
        'RecommendationsRecommendationsApi',
        'RecommendationsCoPurchaseCounter',
      ].map((prefix) => variablesOf(prefix));
      for (const variables of services) {
        expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe('EcommercePlatform');
      }
      expect(services.map((variables) => variables.POWERTOOLS_SERVICE_NAME)).toEqual([
        'order-processing',
        'order-indexer',
        'products-api',
        'catalog-seed',
        'realtime-analytics',
        'recommendations-api',
        'co-purchase-counter',
      ]);
    });

    it('receive the table names, the https endpoint of the search domain and the storefront origin', () => {
      const tableName = (table: string) => ({
        'Fn::GetStackOutput': Match.objectLike({
          OutputName: Match.stringLikeRegexp(`^PublishOutputRef${table}`),
        }),
      });
      const origin = {
        'Fn::Join': [
          '',
          [
            'https://',
            {
              'Fn::GetStackOutput': Match.objectLike({
                OutputName: Match.stringLikeRegexp('WebsiteDistribution'),
              }),
            },
          ],
        ],
      };
      const expectations: [string, Record<string, unknown>][] = [
        [
          'OrdersOrderProcessing',
          {
            ORDERS_TABLE_NAME: tableName('OrdersTable'),
            PRODUCTS_TABLE_NAME: tableName('ProductsTable'),
            OPENSEARCH_ENDPOINT: openSearchEndpoint,
            ALLOWED_ORIGIN: origin,
          },
        ],
        ['OrdersOrderIndexer', { OPENSEARCH_ENDPOINT: openSearchEndpoint }],
        [
          'CatalogProductsApi',
          {
            PRODUCTS_TABLE_NAME: tableName('ProductsTable'),
            OPENSEARCH_ENDPOINT: openSearchEndpoint,
            ALLOWED_ORIGIN: origin,
          },
        ],
        [
          'CatalogCatalogSeed',
          { PRODUCTS_TABLE_NAME: tableName('ProductsTable'), OPENSEARCH_ENDPOINT: openSearchEndpoint },
        ],
        [
          'RealtimeAnalyticsAnalyticsApi',
          { ANALYTICS_TABLE_NAME: tableName('AnalyticsTable'), ALLOWED_ORIGIN: origin },
        ],
      ];
      for (const [prefix, variables] of expectations) {
        dev.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: Match.absent(),
          Environment: { Variables: Match.objectLike(variables) },
          Handler: prefix === 'CatalogCatalogSeed' ? 'index.onEvent' : 'index.handler',
        });
        expect(
          Object.keys(variablesOf(prefix))
            .filter((name) => !/^(POWERTOOLS_|NODE_OPTIONS)/.test(name))
            .sort(),
        ).toEqual(Object.keys(variables).sort());
      }
    });

    it('give no role a wildcard action, and "*" resources only to X-Ray (and the stream listing of the indexer)', () => {
      const policies = Object.values(dev.findResources('AWS::IAM::Policy'));
      expect(policies.length).toBeGreaterThanOrEqual(5);
      const roles = Object.values(dev.findResources('AWS::IAM::Role'));
      for (const role of roles) {
        expect(role.Properties.Policies).toBeUndefined();
      }
      for (const policy of policies) {
        const [role] = policy.Properties.Roles.map((ref: any) => ref.Ref as string);
        const statements: Statement[] = policy.Properties.PolicyDocument.Statement;
        for (const statement of statements) {
          expect(statement.Effect).toBe('Allow');
          for (const action of actionsOf(statement)) expect(action).not.toContain('*');
          const resources = [statement.Resource].flat();
          if (resources.includes('*')) {
            expect(resources).toEqual(['*']);
            // The stream readers: the order indexer and the co-purchase counter.
            const allowed = /^(OrdersOrderIndexerRole|RecommendationsCoPurchaseCounterRole)/.test(role)
              ? ['dynamodb:ListStreams', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']
              : ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
            expect(allowed).toEqual(expect.arrayContaining(actionsOf(statement)));
          }
        }
      }
      // the only managed policy: API Gateway's account-level logging role
      const managed = roles.flatMap((role) => role.Properties.ManagedPolicyArns ?? []);
      expect(JSON.stringify(managed)).toBe(
        JSON.stringify([
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
              ],
            ],
          },
        ]),
      );
    });

    it('reach the search domain through one index each: read only for the APIs, read and write for the writers', () => {
      const searchAccess = (rolePrefix: string) =>
        statementsOf(dev, rolePrefix)
          .filter((statement) => actionsOf(statement).some((action) => action.startsWith('es:')))
          .map((statement) => ({
            actions: actionsOf(statement).sort(),
            resources: JSON.stringify(statement.Resource),
          }));
      const read = ['es:ESHttpGet', 'es:ESHttpHead'];
      const readWrite = [
        ...read,
        'es:ESHttpDelete',
        'es:ESHttpPatch',
        'es:ESHttpPost',
        'es:ESHttpPut',
      ].sort();
      for (const [rolePrefix, actions, index] of [
        ['OrdersOrderProcessingRole', read, 'orders'],
        ['OrdersOrderIndexerRole', readWrite, 'orders'],
        ['CatalogProductsApiRole', read, 'products'],
        ['CatalogCatalogSeedRole', readWrite, 'products'],
      ] as const) {
        const access = searchAccess(rolePrefix);
        expect(access).toHaveLength(1);
        expect(access[0]!.actions).toEqual(actions);
        expect(access[0]!.resources).toContain('SearchDomainFDC494A0Arn');
        const paths = [...access[0]!.resources.matchAll(/"(\/[^"]*)"/g)].map((match) => match[1]);
        expect(paths).toEqual([`/${index}`, `/${index}/*`]);
      }
    });

    it('reach only the tables they need, with no write where they only read', () => {
      const dynamoAccess = (rolePrefix: string) =>
        statementsOf(dev, rolePrefix).filter((statement) =>
          actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
        );
      const writes = (statement: Statement) =>
        actionsOf(statement).some((action) =>
          /dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/.test(action),
        );
      const on = (statement: Statement, table: string) => JSON.stringify(statement.Resource).includes(table);

      const orderProcessing = dynamoAccess('OrdersOrderProcessingRole');
      expect(orderProcessing.some((s) => on(s, 'OrdersTable') && writes(s))).toBe(true);
      expect(orderProcessing.filter((s) => on(s, 'ProductsTable')).some(writes)).toBe(false);
      expect(orderProcessing.filter((s) => on(s, 'ProductsTable'))).not.toHaveLength(0);

      const indexer = dynamoAccess('OrdersOrderIndexerRole');
      expect(indexer.some(writes)).toBe(false);
      expect(
        indexer
          .flatMap(actionsOf)
          .filter((action) => action.startsWith('dynamodb:'))
          .sort(),
      ).toEqual([
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ]);

      const productsApi = dynamoAccess('CatalogProductsApiRole');
      expect(productsApi.some(writes)).toBe(false);
      expect(productsApi.every((s) => on(s, 'ProductsTable') || s.Resource === '*')).toBe(true);

      const seed = dynamoAccess('CatalogCatalogSeedRole');
      expect(seed.some(writes)).toBe(true);
      expect(seed.every((s) => on(s, 'ProductsTable'))).toBe(true);

      const analyticsApi = dynamoAccess('RealtimeAnalyticsAnalyticsApiRole');
      expect(analyticsApi).not.toHaveLength(0);
      expect(analyticsApi.some(writes)).toBe(false);
      expect(analyticsApi.every((s) => on(s, 'AnalyticsTable'))).toBe(true);
    });

    it('keep their logs for the retention of the environment, and delete them with a throwaway one', () => {
      const functionLogGroups = Object.values(dev.findResources('AWS::Logs::LogGroup'));
      expect(functionLogGroups.length).toBeGreaterThanOrEqual(6);
      for (const group of Object.values(
        dev.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 14 } }),
      )) {
        expect(group).toMatchObject({ DeletionPolicy: 'Delete' });
      }
      expect(
        Object.keys(prod.findResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' })).length,
      ).toBe(functionLogGroups.length);
    });
  });

  describe('sample catalog', () => {
    it('is a custom resource loaded by CatalogSeed through the provider framework, carrying the catalog data hash', () => {
      const [resource] = Object.values(dev.findResources('Custom::SampleCatalog'));
      expect(resource!.Properties).toEqual({
        ServiceToken: {
          'Fn::GetAtt': [expect.stringMatching(/^CatalogSeedProviderframeworkonEvent/), 'Arn'],
        },
        CatalogDataHash: hashSampleCatalogData(),
      });
      dev.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.onEvent',
        Timeout: 300,
      });
      dev.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'framework.onEvent',
        LoggingConfig: Match.objectLike({
          LogGroup: { Ref: Match.stringLikeRegexp('^CatalogSeedProviderLogs') },
        }),
      });
    });
  });
});
