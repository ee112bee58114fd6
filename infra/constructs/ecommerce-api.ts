import { Duration, Names, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ClickstreamIngest } from './clickstream-ingest';

/** Headers a browser may send to the API from the storefront. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key'];
/** Response headers the storefront's scripts may read. */
export const CORS_EXPOSED_HEADERS = ['x-request-id'];

/** Body of an error API Gateway answers itself (authorizer, throttling, missing route, timeout...). */
const ERROR_TEMPLATE = '{"message":$context.error.messageString,"requestId":"$context.requestId"}';
/** Body of a request the validator refused (a body that breaks its model, a missing required header). */
const VALIDATION_ERROR_TEMPLATE =
  '{"message":"Invalid request","errors":[{"path":"(request)","message":"$context.error.validationErrorString"}],' +
  '"requestId":"$context.requestId"}';

/** API Gateway throttling: steady requests per second and burst size. */
export interface Throttling {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** The `methodOptions` key of `POST /events`. */
const EVENTS_METHOD_PATH = '/events/POST';

export interface EcommerceApiProps {
  /** Shoppers' user pool: its ID tokens authorize the `/orders` routes. */
  readonly userPool: cognito.IUserPool;
  /** The storefront's origin, such as `https://d111111abcdef8.cloudfront.net`: the only origin CORS allows. */
  readonly allowedOrigin: string;
  /** Serves `/orders`, `/orders/search` and `/orders/{orderId}`. */
  readonly ordersHandler: lambda.IFunction;
  /** Serves `/products` and `/products/{productId}`. */
  readonly productsHandler: lambda.IFunction;
  /** Serves `GET /analytics/realtime` to signed-in shoppers; the handler lets the `admin` group only. */
  readonly analyticsHandler: lambda.IFunction;
  /** Serves `GET /recommendations` to anyone; the handler verifies an ID token when one is sent. */
  readonly recommendationsHandler: lambda.IFunction;
  /** Stage throttling: steady requests per second and burst size. */
  readonly throttling: Throttling;
  /** `POST /events`: the stream it writes to (no function in between), and its own throttling. */
  readonly clickstream: { readonly stream: kinesis.IStream; readonly throttling: Throttling };
  /** How long the access logs are kept. */
  readonly accessLogRetention: logs.RetentionDays;
  /**
   * What happens to the access log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * A WAFv2 web ACL on the stage: a per-IP rate limit and the AWS managed common and known-bad-inputs rule groups.
   * @default - no web ACL
   */
  readonly webAcl?: { readonly requestsPer5MinutesPerIp: number };
  /**
   * Name of the deployed stage, the first segment of every path.
   * @default 'v1'
   */
  readonly stageName?: string;
}

/**
 * The shop's public API: an API Gateway REST API whose routes are Lambda proxy integrations, but for
 * `POST /events`, a Kinesis service integration.
 *
 * - `GET /products`, `GET /products/{productId}`: public, anonymous shoppers browse the catalog.
 * - `POST /orders` (an `Idempotency-Key` header and a body with `items` and `shippingAddress`
 *   required), `GET /orders`, `GET /orders/search`, `GET /orders/{orderId}`: signed-in shoppers
 *   only, authorized by a Cognito user pool authorizer.
 * - `GET /analytics/realtime`: signed-in, and the handler serves the `admin` group only.
 * - `GET /recommendations` (a `type` query parameter required): public; the handler verifies an ID
 *   token sent in `Authorization` itself, to personalise the answer.
 * - `POST /events`: public, the clickstream, written to Kinesis by a service integration
 *   (`ClickstreamIngest`), throttled on its own and with method-level metrics.
 *
 * Requests are validated (parameters, and bodies against their model) before any function runs;
 * API Gateway's own errors answer in JSON with the request id and the CORS header. CORS allows the
 * storefront's origin only. The stage writes JSON access logs and error execution logs, publishes
 * metrics and X-Ray traces, is throttled, and, when asked, sits behind a WAF web ACL.
 */
export class EcommerceApi extends Construct {
  public readonly restApi: apigateway.RestApi;
  /** `POST /events`, the clickstream's way in. */
  public readonly clickstreamIngest: ClickstreamIngest;
  public readonly stage: apigateway.Stage;
  /** Base URL of the stage, ending with a slash. */
  public readonly url: string;
  public readonly accessLogGroup: logs.LogGroup;
  public readonly authorizer: apigateway.CognitoUserPoolsAuthorizer;
  public readonly requestValidator: apigateway.RequestValidator;
  /** The web ACL on the stage, when there is one. */
  public readonly webAcl?: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EcommerceApiProps) {
    super(scope, id);

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      // A label, not an identifier; unique per stage so that metrics by ApiName never mix environments.
      restApiName: Names.uniqueResourceName(this, { maxLength: 128 }),
      description: 'The shop API: catalog, orders, recommendations, clickstream and live analytics',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: true,
      deployOptions: {
        stageName: props.stageName ?? 'v1',
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
        // Errors only: access logs already record every request, and INFO doubles the log volume.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
        methodOptions: {
          // The clickstream has its own budget, and metrics of its own for its alarms. Every setting
          // is repeated: a method's settings replace the stage's for that method.
          [EVENTS_METHOD_PATH]: {
            loggingLevel: apigateway.MethodLoggingLevel.ERROR,
            dataTraceEnabled: false,
            metricsEnabled: true,
            throttlingRateLimit: props.clickstream.throttling.rateLimit,
            throttlingBurstLimit: props.clickstream.throttling.burstLimit,
          },
        },
      },
      defaultCorsPreflightOptions: {
        allowOrigins: [props.allowedOrigin],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: CORS_ALLOWED_HEADERS,
        exposeHeaders: CORS_EXPOSED_HEADERS,
        maxAge: Duration.hours(1),
      },
    });
    // The stack publishes the URL as its ApiUrl output; the RestApi's own Endpoint output would repeat it.
    this.restApi.node.tryRemoveChild('Endpoint');
    this.stage = this.restApi.deploymentStage;
    this.url = this.restApi.url;

    const cloudWatchRole = this.restApi.node.tryFindChild('CloudWatchRole');
    if (!cloudWatchRole) throw new Error('EcommerceApi: the RestApi has no CloudWatchRole to acknowledge');
    Validations.of(cloudWatchRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "API Gateway's account-level role for execution logs: the AWS managed policy lets API Gateway create " +
        'and write its own log groups and nothing else.',
    });

    this.addGatewayResponses(props.allowedOrigin);

    this.authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'ShopperAuthorizer', {
      cognitoUserPools: [props.userPool],
    });
    this.requestValidator = this.restApi.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.addRoutes(props);
    this.clickstreamIngest = new ClickstreamIngest(this, 'ClickstreamIngest', {
      resource: this.restApi.root.addResource('events'),
      stream: props.clickstream.stream,
      requestValidator: this.requestValidator,
      allowedOrigin: props.allowedOrigin,
    });

    if (props.webAcl) {
      this.webAcl = this.addWebAcl(props.webAcl.requestsPer5MinutesPerIp);
    } else {
      Validations.of(this.stage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'No web ACL in this environment by config (api.waf.enabled false): a test stage that serves no ' +
          'shoppers, throttled at the stage. Environments with api.waf.enabled (staging and prod) get one.',
      });
    }
  }

  private addRoutes(props: EcommerceApiProps): void {
    const integration = (handler: lambda.IFunction) =>
      new apigateway.LambdaIntegration(handler, { proxy: true, allowTestInvoke: false });
    const orders = integration(props.ordersHandler);
    const products = integration(props.productsHandler);

    const signedIn: apigateway.MethodOptions = {
      authorizationType: apigateway.AuthorizationType.COGNITO,
      authorizer: this.authorizer,
      requestValidator: this.requestValidator,
    };
    const anonymous: apigateway.MethodOptions = {
      authorizationType: apigateway.AuthorizationType.NONE,
      requestValidator: this.requestValidator,
    };

    const productsResource = this.restApi.root.addResource('products');
    const catalogMethods = [
      productsResource.addMethod('GET', products, anonymous),
      productsResource.addResource('{productId}').addMethod('GET', products, anonymous),
    ];
    // The handler checks the values; API Gateway refuses a request without a type before it runs.
    const recommendationsMethod = this.restApi.root
      .addResource('recommendations')
      .addMethod('GET', integration(props.recommendationsHandler), {
        ...anonymous,
        requestParameters: {
          'method.request.querystring.type': true,
          'method.request.querystring.productId': false,
          'method.request.querystring.limit': false,
        },
      });
    const publicMethods: [apigateway.Method, string][] = [
      ...catalogMethods.map((method): [apigateway.Method, string] => [
        method,
        'the catalog is public: anonymous shoppers browse',
      ]),
      [
        recommendationsMethod,
        'recommendations are public: anonymous shoppers get them too; the handler verifies an ID token ' +
          'itself when one is sent, to personalise the answer',
      ],
    ];
    for (const [method, reason] of publicMethods) {
      Validations.of(method).acknowledge(
        ...['AwsSolutions-APIG4', 'AwsSolutions-COG4'].map((ruleId) => ({ id: ruleId, reason })),
      );
    }

    const placeOrderModel = this.restApi.addModel('PlaceOrderRequest', {
      contentType: 'application/json',
      description: 'POST /orders: the shape API Gateway checks; the handler validates the rest',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        title: 'PlaceOrderRequest',
        type: apigateway.JsonSchemaType.OBJECT,
        required: ['items', 'shippingAddress'],
        properties: {
          items: { type: apigateway.JsonSchemaType.ARRAY },
          shippingAddress: { type: apigateway.JsonSchemaType.OBJECT },
        },
      },
    });
    const ordersResource = this.restApi.root.addResource('orders');
    ordersResource.addMethod('POST', orders, {
      ...signedIn,
      requestParameters: { 'method.request.header.Idempotency-Key': true },
      requestModels: { 'application/json': placeOrderModel },
    });
    ordersResource.addMethod('GET', orders, signedIn);
    ordersResource.addResource('search').addMethod('GET', orders, signedIn);
    ordersResource.addResource('{orderId}').addMethod('GET', orders, signedIn);

    this.restApi.root
      .addResource('analytics')
      .addResource('realtime')
      .addMethod('GET', integration(props.analyticsHandler), signedIn);
  }

  /** API Gateway's own error answers in JSON, with the request id, readable by the storefront (CORS). */
  private addGatewayResponses(allowedOrigin: string): void {
    const responseHeaders = { 'Access-Control-Allow-Origin': `'${allowedOrigin}'`, Vary: "'Origin'" };
    const responses: [string, apigateway.ResponseType, string][] = [
      ['Default4xx', apigateway.ResponseType.DEFAULT_4XX, ERROR_TEMPLATE],
      ['Default5xx', apigateway.ResponseType.DEFAULT_5XX, ERROR_TEMPLATE],
      ['BadRequestBody', apigateway.ResponseType.BAD_REQUEST_BODY, VALIDATION_ERROR_TEMPLATE],
      ['BadRequestParameters', apigateway.ResponseType.BAD_REQUEST_PARAMETERS, VALIDATION_ERROR_TEMPLATE],
    ];
    for (const [id, type, template] of responses) {
      this.restApi.addGatewayResponse(id, {
        type,
        responseHeaders,
        templates: { 'application/json': template },
      });
    }
  }

  private addWebAcl(requestsPer5MinutesPerIp: number): wafv2.CfnWebACL {
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const managedRuleGroup = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    });

    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: 'The shop API: per-IP rate limit and AWS managed rules',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('EcommerceApi'),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          // 429 says "slow down" to a well-behaved client; WAF's default block is a 403.
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: requestsPer5MinutesPerIp,
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        managedRuleGroup('AWSManagedRulesCommonRuleSet', 1),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 2),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.stage.stageArn,
      webAclArn: webAcl.attrArn,
    });
    return webAcl;
  }
}
