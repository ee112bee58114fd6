import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RECOMMENDATION_TYPES } from '../../services/recommendations/domain/recommendation';
import { buildTestPlatform } from '../testing/platform-app';
import { RECOMMENDER_MODELS } from './personalization';

const { stages } = buildTestPlatform();
const dev = Template.fromStack(stages.dev.api);
const interactions = stages.dev.stateful.personalization;

type Resources = Record<string, any>;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

/** The statements of every identity policy attached to the role whose logical id starts with `rolePrefix`. */
function statementsOf(template: Template, rolePrefix: string): Statement[] {
  const policies: Resources = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter(({ Properties }) => Properties.Roles.some((role: any) => role.Ref.startsWith(rolePrefix)))
    .flatMap(({ Properties }) => Properties.PolicyDocument.Statement);
}

const functionNamed = (prefix: string) => {
  const found = Object.entries(dev.findResources('AWS::Lambda::Function')).filter(([id]) =>
    id.startsWith(prefix),
  );
  expect(found).toHaveLength(1);
  return { id: found[0]![0], properties: found[0]![1].Properties };
};

/** The method of `GET /recommendations`, found through its resource. */
function recommendationsMethod() {
  const [resourceId] = Object.entries(dev.findResources('AWS::ApiGateway::Resource')).find(
    ([, resource]) => resource.Properties.PathPart === 'recommendations',
  )!;
  const methods = Object.entries(dev.findResources('AWS::ApiGateway::Method')).filter(
    ([, method]) => method.Properties.ResourceId.Ref === resourceId,
  );
  const byVerb = Object.fromEntries(
    methods.map(([id, method]) => [method.Properties.HttpMethod, { id, method }]),
  );
  return { get: byVerb.GET!, options: byVerb.OPTIONS! };
}

describe('Recommendations', () => {
  const api = functionNamed('RecommendationsRecommendationsApi');
  const counter = functionNamed('RecommendationsCoPurchaseCounter');

  describe('GET /recommendations', () => {
    const { get, options } = recommendationsMethod();

    it('is public: no authorizer, cdk-nag APIG4 and COG4 acknowledged on this method with their reason', () => {
      expect(get.method.Properties.AuthorizationType).toBe('NONE');
      expect(get.method.Properties.AuthorizerId).toBeUndefined();
      const method = stages.dev.api.api.restApi.root.getResource('recommendations')!.node.findChild('GET');
      const acknowledged = Object.entries(
        Object.assign(
          {},
          ...method.node.metadata
            .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
            .map((entry) => entry.data as Record<string, string>),
        ) as Record<string, string>,
      );
      for (const rule of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
        const reasons = acknowledged.filter(([id]) => id.endsWith(rule)).map(([, reason]) => reason);
        expect(reasons).not.toHaveLength(0);
        for (const reason of reasons)
          expect(reason).toMatch(/^recommendations are public: anonymous shoppers/);
      }
    });

    it('requires a type in the query string, checked by the request validator before the function runs', () => {
      const [validatorId] = Object.keys(dev.findResources('AWS::ApiGateway::RequestValidator'));
      expect(get.method.Properties).toMatchObject({
        RequestValidatorId: { Ref: validatorId },
        RequestParameters: {
          'method.request.querystring.type': true,
          'method.request.querystring.productId': false,
          'method.request.querystring.limit': false,
        },
      });
    });

    it('is served by RecommendationsApi through a Lambda proxy integration', () => {
      expect(get.method.Properties.Integration).toMatchObject({
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
      });
      expect(JSON.stringify(get.method.Properties.Integration.Uri)).toContain(api.id);
    });

    it('answers CORS preflights that let the storefront send its ID token in Authorization', () => {
      const headers = options.method.Properties.Integration.IntegrationResponses[0].ResponseParameters;
      expect(headers['method.response.header.Access-Control-Allow-Headers']).toContain('Authorization');
      expect(headers['method.response.header.Access-Control-Allow-Methods']).toContain('GET');
    });
  });

  describe('RecommendationsApi', () => {
    it('runs the recommendations handler on Node.js 24, ARM64, with time for the 1 s chain and a cold start', () => {
      expect(api.properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
      expect(api.properties.Timeout).toBeGreaterThanOrEqual(5);
      expect(api.properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'recommendations-api',
        POWERTOOLS_METRICS_NAMESPACE: 'EcommercePlatform',
      });
    });

    it('receives the tables, the storefront origin, the parameter prefix, and the user pool, its client and issuer', () => {
      const variables = api.properties.Environment.Variables;
      expect(
        Object.keys(variables)
          .filter((name) => !/^(POWERTOOLS_|NODE_OPTIONS)/.test(name))
          .sort(),
      ).toEqual([
        'ALLOWED_ORIGIN',
        'ANALYTICS_TABLE_NAME',
        'ORDERS_TABLE_NAME',
        'PRODUCTS_TABLE_NAME',
        'RECOMMENDERS_PARAMETER_PREFIX',
        'USER_POOL_CLIENT_ID',
        'USER_POOL_ID',
        'USER_POOL_ISSUER',
      ]);
      const statefulOutput = (name: string) =>
        JSON.stringify(variables[name]).match(/"OutputName":"PublishOutput(\w+?)[0-9A-F]{8}"/)?.[1];
      expect(statefulOutput('ANALYTICS_TABLE_NAME')).toMatch(/^RefAnalyticsTable/);
      expect(statefulOutput('ORDERS_TABLE_NAME')).toMatch(/^RefOrdersTable/);
      expect(statefulOutput('PRODUCTS_TABLE_NAME')).toMatch(/^RefProductsTable/);
      expect(statefulOutput('USER_POOL_ID')).toMatch(/^RefShopperIdentityUserPool/);
      expect(statefulOutput('USER_POOL_CLIENT_ID')).toMatch(/^RefShopperIdentityUserPoolWebClient/);
      // The issuer aws-jwt-verify checks: the pool's ProviderURL, https://cognito-idp.<region>.amazonaws.com/<pool id>.
      expect(statefulOutput('USER_POOL_ISSUER')).toMatch(/^FnGetAttShopperIdentityUserPool\w+ProviderURL/);
      expect(variables.RECOMMENDERS_PARAMETER_PREFIX).toBe(`/${interactions.namePrefix}/recommenders`);
      expect(variables.RECOMMENDERS_PARAMETER_PREFIX).toMatch(/^(\/[a-zA-Z0-9_.-]+)+$/);
    });

    const statements = statementsOf(dev, 'RecommendationsRecommendationsApiRole');
    const withAction = (prefix: string) =>
      statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith(prefix)));

    it('may read the analytics, products and orders tables (with their indexes: byCustomer), and write none', () => {
      const dynamodb = withAction('dynamodb:');
      const actions = [...new Set(dynamodb.flatMap(actionsOf))];
      expect(actions.some((action) => /Put|Update|Delete|Write/.test(action))).toBe(false);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      const resources = JSON.stringify(dynamodb.map((statement) => statement.Resource));
      for (const table of ['AnalyticsTable', 'ProductsTable', 'OrdersTable'])
        expect(resources).toContain(table);
      expect(resources).toContain('/index/*');
    });

    it('may read the SSM parameter of each kind of recommendation, named one by one (a missing one is "not trained")', () => {
      expect(withAction('ssm:')).toEqual([
        {
          Effect: 'Allow',
          Action: 'ssm:GetParameter',
          Resource: RECOMMENDATION_TYPES.map(
            (type) =>
              `arn:aws:ssm:us-east-1:123456789012:parameter/${interactions.namePrefix}/recommenders/${type}`,
          ).sort(),
        },
      ]);
    });

    it("may get recommendations from this stage's campaigns and its exclude-purchased filter only", () => {
      const [statement, ...others] = withAction('personalize:');
      expect(others).toEqual([]);
      expect(statement).toEqual({
        Effect: 'Allow',
        Action: 'personalize:GetRecommendations',
        Resource: [
          ...RECOMMENDER_MODELS.map(
            (model) =>
              `arn:aws:personalize:us-east-1:123456789012:campaign/${interactions.namePrefix}-${model.type}`,
          ),
          {
            'Fn::GetStackOutput': expect.objectContaining({
              StackName: 'dev-Stateful',
              OutputName: expect.stringMatching(
                /^PublishOutputFnGetAttPersonalizationExcludePurchasedFilter/,
              ),
            }),
          },
        ],
      });
    });

    it('has no wildcard action, and "*" for X-Ray only', () => {
      for (const statement of statements) {
        for (const action of actionsOf(statement)) expect(action).not.toContain('*');
        if ([statement.Resource].flat().includes('*')) {
          expect(statement.Action).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
        }
      }
      expect(
        statements
          .flatMap(actionsOf)
          .filter((action) => !/^(dynamodb|ssm|personalize|logs|xray):/.test(action)),
      ).toEqual([]);
    });
  });

  describe('CoPurchaseCounter', () => {
    it('runs the co-purchase counter handler, writing to the analytics table', () => {
      expect(counter.properties).toMatchObject({ Handler: 'index.handler', Timeout: 60 });
      const variables = counter.properties.Environment.Variables;
      expect(variables.POWERTOOLS_SERVICE_NAME).toBe('co-purchase-counter');
      expect(JSON.stringify(variables.ANALYTICS_TABLE_NAME)).toContain('RefAnalyticsTable');
    });

    it("reads the orders stream with the order indexer's settings, then sends what it gave up on to its own DLQ", () => {
      const mappings = Object.values(dev.findResources('AWS::Lambda::EventSourceMapping')).filter(
        (mapping) => mapping.Properties.FunctionName.Ref === counter.id,
      );
      expect(mappings).toHaveLength(1);
      expect(mappings[0]!.Properties).toEqual({
        FunctionName: { Ref: counter.id },
        EventSourceArn: expect.anything(),
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 5,
        MaximumRecordAgeInSeconds: 86400,
        DestinationConfig: {
          OnFailure: {
            Destination: {
              'Fn::GetAtt': [expect.stringMatching(/^RecommendationsCounterDeadLetterQueue/), 'Arn'],
            },
          },
        },
      });
      expect(JSON.stringify(mappings[0]!.Properties.EventSourceArn)).toContain(
        'OrdersTable315BB997StreamArn',
      );
      // No filter: the handler ignores MODIFY and REMOVE itself.
      expect(mappings[0]!.Properties.FilterCriteria).toBeUndefined();
    });

    it('may write the analytics table, read the orders stream and send to its DLQ, and nothing else', () => {
      const statements = statementsOf(dev, 'RecommendationsCoPurchaseCounterRole');
      const on = (statement: Statement) => JSON.stringify(statement.Resource);
      const dynamodb = statements.filter((statement) => actionsOf(statement)[0]!.startsWith('dynamodb:'));
      const writes = dynamodb.filter((statement) => actionsOf(statement).includes('dynamodb:PutItem'));
      expect(writes).toHaveLength(1);
      expect(on(writes[0]!)).toContain('AnalyticsTable');
      expect(on(writes[0]!)).not.toContain('OrdersTable');
      const streamRead = dynamodb.filter((statement) => actionsOf(statement).includes('dynamodb:GetRecords'));
      expect(streamRead.map(on).join()).toContain('OrdersTable315BB997StreamArn');
      expect(
        statements.flatMap(actionsOf).filter((action) => !/^(dynamodb|sqs|logs|xray):/.test(action)),
      ).toEqual([]);
      const star = statements.filter((statement) => [statement.Resource].flat().includes('*'));
      expect(star.flatMap(actionsOf).sort()).toEqual([
        'dynamodb:ListStreams',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });

    it('has an encrypted, TLS-only DLQ that keeps messages 14 days', () => {
      const [queueId, queue] = Object.entries(dev.findResources('AWS::SQS::Queue')).find(([id]) =>
        id.startsWith('RecommendationsCounterDeadLetterQueue'),
      )!;
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
      dev.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });
});
