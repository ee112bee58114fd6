import * as fs from 'node:fs';

interface StackResource {
  readonly stackName: string;
  readonly logicalId: string;
}

/** `.local/endpoints.json`: where every local service listens and what each resource is called there. */
export interface LocalEndpoints {
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The storefront. */
  readonly site: string;
  /** The shop API's base URL, ending with a slash. */
  readonly api: string;
  readonly services: {
    readonly dynamodb: string;
    readonly kinesis: string;
    readonly s3: string;
    readonly cognito: string;
    readonly firehose: string;
    readonly personalizeEvents: string;
    /** Personalize's GetRecommendations: no campaign answers locally until one is put in SSM. */
    readonly personalizeRuntime: string;
    readonly ssm: string;
    /** The search port's service, standing in for the OpenSearch domain. */
    readonly search: string;
  };
  readonly resources: {
    readonly tables: readonly (StackResource & { readonly name: string })[];
    readonly streams: readonly (StackResource & { readonly name: string })[];
    readonly buckets: readonly (StackResource & { readonly name: string })[];
    /** SQS queues (on-failure destinations): locally, JSON Lines files. */
    readonly queues: readonly (StackResource & { readonly name: string; readonly file: string })[];
    readonly userPools: readonly (StackResource & {
      readonly userPoolId: string;
      readonly clients: readonly {
        readonly logicalId: string;
        readonly clientId: string;
        readonly name: string;
      }[];
      readonly groups: readonly string[];
    })[];
    readonly functions: readonly (StackResource & { readonly name: string })[];
    readonly routes: readonly {
      readonly method: string;
      readonly path: string;
      readonly authorization: string;
    }[];
  };
}

export function writeEndpointsFile(file: string, endpoints: LocalEndpoints): void {
  fs.writeFileSync(file, `${JSON.stringify(endpoints, null, 2)}\n`);
}
