import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PlatformStage } from '../../infra/stage';
import { startCognitoLocal } from '../cognito/cognito-local';
import { createCognitoTokenVerifier } from '../cognito/token-verifier';
import { ensureUserPools, userPoolLocalNameOverrides, type LocalUserPool } from '../cognito/user-pools';
import { ensureUser } from '../cognito/users';
import { assertJavaAvailable, startDynamoDbLocal } from '../dynamodb/dynamodb-local';
import { startFirehoseStandIn } from '../firehose/firehose-stand-in';
import { startS3Delivery } from '../firehose/s3-delivery';
import { createLocalGateway } from '../gateway/local-gateway';
import { startKinesalite } from '../kinesis/kinesalite';
import { startEventSourcePollers } from '../lambda/event-source-pollers';
import { startFunctionHost } from '../lambda/function-host';
import { startPersonalizeEventsStandIn } from '../personalize/personalize-events-stand-in';
import { startPersonalizeRuntimeStandIn } from '../personalize/personalize-runtime-stand-in';
import { localS3Client, startS3rver } from '../s3/s3rver';
import { startSearchService } from '../search/search-service';
import { startSsmStandIn } from '../ssm/ssm-stand-in';
import { stageEventSourceMappings } from '../template/event-source-mappings';
import { stageFunctions } from '../template/functions';
import { IntrinsicResolver } from '../template/intrinsics';
import { defaultLocalNames, LOCAL_ACCOUNT_ID, LOCAL_REGION, type LocalNames } from '../template/local-names';
import type { StageTemplates } from '../template/stage-templates';
import { localDistribution } from './cloudfront-functions';
import { runCustomResources } from './custom-resources';
import { deadLetterWriter } from './dead-letters';
import { synthesizeDevStage } from './dev-stage';
import { deliveryStreamDestinations } from './delivery-streams';
import { DEMO_USERS, type DemoUser } from './demo-users';
import { LOCAL_CREDENTIALS } from './local-credentials';
import { LocalEndpoints, writeEndpointsFile } from './endpoints-file';
import { assertPortFree } from './ports';
import { startOriginServer } from './origin-server';
import { createStageResources } from './stage-resources';

export interface LocalPlatformOptions {
  /** Port of the one HTTP origin (site and API); 0 takes any free port. @default 3000 */
  readonly port?: number;
  /** Where data, the synthesized stage and logs are kept across restarts. @default `.local` at the project root */
  readonly dataDirectory?: string;
  /** Deletes the data directory first. @default false */
  readonly fresh?: boolean;
  /** Progress lines and function logs. @default console.log */
  readonly log?: (line: string) => void;
  /** Changes the dev stage before synthesis (tests add a route, table or function with it). */
  readonly customize?: (stage: PlatformStage) => void;
}

export interface LocalPlatform {
  /** The origin: the site at `/`, the API at `/api/`. */
  readonly url: string;
  readonly endpoints: LocalEndpoints;
  /** Every variable the integration suite reads, pointing at this platform and its emulators. */
  readonly environment: Readonly<Record<string, string>>;
  readonly demoUsers: readonly DemoUser[];
  /** Milliseconds from the call to ready. */
  readonly startupMs: number;
  stop(): Promise<void>;
}

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const API_BASE_PATH = '/api';

/**
 * Runs the dev stage on this machine from its synthesized templates and bundled handlers: the
 * emulators for what the templates declare, the functions in-process, their event source
 * mappings, the API gateway and the site on one origin. On failure, whatever started is stopped.
 */
export async function startLocalPlatform(options: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const port = options.port ?? 3000;
  const dataDirectory = path.resolve(options.dataDirectory ?? path.join(PROJECT_ROOT, '.local'));
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      await stop().catch((error: unknown) => log(`While stopping: ${String(error)}`));
    }
  };
  const step = async <T>(what: string, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      throw new Error(`${what} failed: ${(error as Error).message}`, { cause: error });
    }
  };

  try {
    assertJavaAvailable();
    if (port !== 0) await assertPortFree(port);
    if (options.fresh) fs.rmSync(dataDirectory, { recursive: true, force: true });
    fs.mkdirSync(dataDirectory, { recursive: true });
    const data = (name: string) => path.join(dataDirectory, name);

    log('Synthesizing the dev stage...');
    const synthesized = await step('Synthesizing the dev stage', async () =>
      synthesizeDevStage(data('cdk.out'), options.customize ? { customize: options.customize } : {}),
    );
    const { stage, assetRoot } = synthesized;

    log('Starting the emulators...');
    const [dynamodb, kinesis, s3rver, cognito, personalize, recommendations, ssm, search] = await Promise.all(
      [
        step('Starting DynamoDB Local', () => startDynamoDbLocal({ dataDirectory: data('dynamodb') })),
        // Streams are in memory: records read before a restart are not delivered twice.
        step('Starting kinesalite', () => startKinesalite()),
        step('Starting s3rver', () =>
          startS3rver({ directory: data('s3'), credentials: [LOCAL_CREDENTIALS] }),
        ),
        step('Starting cognito-local', () =>
          startCognitoLocal({ directory: data('cognito'), preSignUp: 'auto-confirm' }),
        ),
        step('Starting the Personalize Events stand-in', () => startPersonalizeEventsStandIn()),
        // No campaign is trained locally: recommendations come from the real-time fallback.
        step('Starting the Personalize Runtime stand-in', () => startPersonalizeRuntimeStandIn()),
        step('Starting the SSM Parameter Store stand-in', () => startSsmStandIn()),
        step('Starting the search service', () => startSearchService()),
      ],
    );
    stops.push(
      dynamodb.stop,
      kinesis.stop,
      s3rver.stop,
      cognito.stop,
      personalize.stop,
      recommendations.stop,
      ssm.stop,
      search.stop,
    );
    const s3 = localS3Client(s3rver.endpoint);

    const baseNames = defaultLocalNames();
    const resources = await step('Creating tables, streams and buckets', () =>
      createStageResources(stage, baseNames, {
        dynamodb: dynamodb.endpoint,
        kinesis: kinesis.endpoint,
        s3: s3rver.endpoint,
      }),
    );
    const pools = await step('Creating the user pools', () =>
      ensureUserPools({
        endpoint: cognito.endpoint,
        stage,
        resolver: new IntrinsicResolver(stage, baseNames),
      }),
    );
    const parameters = stageParameters(stage, new IntrinsicResolver(stage, baseNames), baseNames);
    const names = defaultLocalNames({
      overrides: {
        ...emulatorAssignedValues(resources.tables, pools),
        ...Object.fromEntries(parameters.map(({ logicalId, name }) => [logicalId, { ref: name }])),
      },
    });
    const resolver = new IntrinsicResolver(stage, names);
    for (const parameter of parameters) {
      ssm.put(
        parameter.name,
        resolver.resolveString(
          parameter.stackName,
          parameter.value,
          `${parameter.stackName}/${parameter.logicalId} Value`,
        ),
        parameter.type,
      );
    }

    const delivery = startS3Delivery(s3, deliveryStreamDestinations(stage, resolver, names), log);
    const firehose = await step('Starting the Firehose stand-in', () =>
      startFirehoseStandIn({ onDeliver: (name, records) => delivery.add(name, records) }),
    );
    stops.push(firehose.stop, delivery.stop);

    const awsEnvironment = {
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodb.endpoint,
      AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
      AWS_ENDPOINT_URL_S3: s3rver.endpoint,
      AWS_ENDPOINT_URL_FIREHOSE: firehose.endpoint,
      AWS_ENDPOINT_URL_PERSONALIZE_EVENTS: personalize.endpoint,
      AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME: recommendations.endpoint,
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
      // s3rver stores streamed uploads with their aws-chunked framing unless checksums are only where required.
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    };
    const functions = stageFunctions(stage, resolver, assetRoot).functions;
    const host = await step('Starting the functions', () =>
      startFunctionHost({
        functions,
        environment: {
          ...awsEnvironment,
          SEARCH_BACKEND: 'local',
          LOCAL_SEARCH_URL: search.url,
          // No X-Ray daemon runs locally.
          POWERTOOLS_TRACE_ENABLED: 'false',
          AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
        },
        functionName: (fn) => names(fn.stackName, fn.logicalId, 'AWS::Lambda::Function').ref,
        log: (fn, line) => log(`[${fn.logicalId.replace(/[0-9A-F]{8}$/, '')}] ${line}`),
      }),
    );
    stops.push(host.stop);

    const deadLetters = deadLetterWriter(data('dead-letters'), stage, names, log);
    const pollers = await step('Starting the event source mappings', () =>
      startEventSourcePollers({
        mappings: stageEventSourceMappings(stage, resolver).map((mapping) => ({
          mapping,
          source: pollerSource(mapping.source, resources.tables, names, stage),
          functionArn: arnOf(names, stage, mapping.stackName, mapping.functionLogicalId),
        })),
        invoke: (fn, event) => host.invoke(fn, event),
        kinesisEndpoint: kinesis.endpoint,
        dynamodbEndpoint: dynamodb.endpoint,
        credentials: LOCAL_CREDENTIALS,
        onFailure: deadLetters,
        log,
      }),
    );
    stops.push(pollers.stop);

    await step('Running the custom resources (catalog seed, site deployment)', () =>
      runCustomResources({
        stage,
        resolver,
        invoke: (fn, event) => host.invoke(fn, event),
        s3,
        assetRoot,
        log,
      }),
    );

    const verifier = createCognitoTokenVerifier(pools, cognito.endpoint);
    const gateway = createLocalGateway({
      stage,
      resolver,
      basePath: API_BASE_PATH,
      log,
      integrations: {
        invoke: (fn, event) => host.invoke(fn, event),
        kinesisEndpoint: kinesis.endpoint,
        verifyCognitoToken: (arns, token) => verifier.verifyCognitoToken(arns, token),
        region: LOCAL_REGION,
        accountId: LOCAL_ACCOUNT_ID,
        credentials: LOCAL_CREDENTIALS,
      },
    });
    const distribution = localDistribution(stage, resolver);
    const configOverrides: Record<string, string> = { cognitoEndpoint: cognito.endpoint };
    const origin = await startOriginServer({
      port,
      distribution,
      websiteBucket: names(distribution.origin.stackName, distribution.origin.logicalId, 'AWS::S3::Bucket')
        .ref,
      s3,
      api: (request, response) => gateway.handle(request, response),
      configOverrides,
      log,
    });
    stops.push(origin.stop);
    const apiUrl = `${origin.url}${API_BASE_PATH}/`;
    configOverrides.apiUrl = apiUrl;

    const pool = pools[0];
    const demoUsers = pool
      ? await step('Creating the demo users', async () => {
          for (const user of DEMO_USERS) await ensureUser(cognito.endpoint, pool.userPoolId, user);
          return DEMO_USERS;
        })
      : [];

    const endpoints: LocalEndpoints = {
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      site: `${origin.url}/`,
      api: apiUrl,
      services: {
        dynamodb: dynamodb.endpoint,
        kinesis: kinesis.endpoint,
        s3: s3rver.endpoint,
        cognito: cognito.endpoint,
        firehose: firehose.endpoint,
        personalizeEvents: personalize.endpoint,
        personalizeRuntime: recommendations.endpoint,
        ssm: ssm.endpoint,
        search: search.url,
      },
      resources: {
        tables: resources.tables.map(({ stackName, logicalId, name }) => ({ stackName, logicalId, name })),
        streams: resources.streams,
        buckets: resources.buckets,
        queues: resources.queues.map((queue) => ({ ...queue, file: deadLetters.fileOf(queue.name) })),
        userPools: pools.map(({ stackName, logicalId, userPoolId, clients, groups }) => ({
          stackName,
          logicalId,
          userPoolId,
          clients,
          groups,
        })),
        functions: functions.map(({ stackName, logicalId }) => ({
          stackName,
          logicalId,
          name: names(stackName, logicalId, 'AWS::Lambda::Function').ref,
        })),
        routes: gateway.routes,
      },
    };
    writeEndpointsFile(data('endpoints.json'), endpoints);

    const environment = {
      ...awsEnvironment,
      ...resolvedTestOutputs(synthesized.testOutputs, stage, resolver),
      WEBSITE_URL: origin.url,
      API_URL: apiUrl,
    };
    return {
      url: origin.url,
      endpoints,
      environment,
      demoUsers,
      startupMs: Date.now() - started,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The values only the emulators know: the tables' stream ARNs, the user pools' and clients' ids. */
function emulatorAssignedValues(
  tables: readonly { logicalId: string; streamArn?: string }[],
  pools: readonly LocalUserPool[],
): Record<string, { ref?: string; attributes?: Record<string, string> }> {
  const streams = tables.flatMap((table) =>
    table.streamArn ? [[table.logicalId, { attributes: { StreamArn: table.streamArn } }] as const] : [],
  );
  return { ...Object.fromEntries(streams), ...userPoolLocalNameOverrides(pools) };
}

/** Every `AWS::SSM::Parameter` of the stage: its name (declared, or the local name) and its value. */
function stageParameters(stage: StageTemplates, resolver: IntrinsicResolver, names: LocalNames) {
  return stage.resourcesOfType('AWS::SSM::Parameter').map(({ stackName, logicalId, type, properties }) => ({
    stackName,
    logicalId,
    name:
      properties.Name === undefined
        ? names(stackName, logicalId, type).ref
        : resolver.resolveString(stackName, properties.Name, `${stackName}/${logicalId} Name`),
    value: properties.Value,
    type: (properties.Type === 'StringList' ? 'StringList' : 'String') as 'String' | 'StringList',
  }));
}

function pollerSource(
  source: { stackName: string; logicalId: string; type: string },
  tables: readonly { stackName: string; logicalId: string; name: string; streamArn?: string }[],
  names: LocalNames,
  stage: StageTemplates,
) {
  if (source.type === 'AWS::Kinesis::Stream') {
    return {
      kind: 'kinesis' as const,
      streamName: names(source.stackName, source.logicalId, source.type).ref,
      streamArn: arnOf(names, stage, source.stackName, source.logicalId),
    };
  }
  const table = tables.find((t) => t.stackName === source.stackName && t.logicalId === source.logicalId);
  if (source.type === 'AWS::DynamoDB::Table' && table?.streamArn) {
    return { kind: 'dynamodb' as const, tableName: table.name, streamArn: table.streamArn };
  }
  throw new Error(
    `An event source mapping reads ${source.stackName}/${source.logicalId} (${source.type}): the local platform ` +
      `polls Kinesis streams and DynamoDB table streams only (stacks: ${stage.stackNames.join(', ')})`,
  );
}

function arnOf(names: LocalNames, stage: StageTemplates, stackName: string, logicalId: string): string {
  const { type } = stage.resource(stackName, logicalId);
  const arn = names(stackName, logicalId, type).attributes.Arn;
  if (!arn) throw new Error(`${stackName}/${logicalId} (${type}) has no local ARN`);
  return arn;
}

function resolvedTestOutputs(
  outputs: Readonly<Record<string, { stackName: string; outputId: string }>>,
  stage: StageTemplates,
  resolver: IntrinsicResolver,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outputs).map(([variable, { stackName, outputId }]) => {
      const output = stage.template(stackName).Outputs?.[outputId];
      if (!output)
        throw new Error(`Output ${outputId} of ${stackName} (for ${variable}) is not in the template`);
      return [variable, resolver.resolveString(stackName, output.Value, `${stackName} output ${outputId}`)];
    }),
  );
}
