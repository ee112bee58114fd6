import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  Projection,
  StreamSpecification,
} from '@aws-sdk/client-dynamodb';

/** The part of a synthesized CloudFormation template this module reads. */
export interface CfnTemplate {
  readonly Resources: Record<
    string,
    { readonly Type: string; readonly Properties?: Record<string, unknown> }
  >;
}

/** A table as the template declares it, ready to be created under any name. */
export interface TableDefinition {
  /** Logical id in the template, such as `OrdersTable315BB997`. */
  readonly logicalId: string;
  /** CreateTable input without the table name. */
  readonly create: Omit<CreateTableCommandInput, 'TableName'>;
  /** The attribute holding each item's expiry time, when TTL is on. */
  readonly timeToLiveAttribute?: string;
}

interface CfnTableProperties {
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  GlobalSecondaryIndexes?: { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection }[];
  StreamSpecification?: { StreamViewType: StreamSpecification['StreamViewType'] };
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
}

/**
 * Every `AWS::DynamoDB::Table` of a synthesized template, as CreateTable input (keys, attribute
 * definitions, global secondary indexes, stream), so that tables created on an emulator have the
 * exact shape that deploys. Billing is on demand.
 */
export function tableDefinitions(template: CfnTemplate): TableDefinition[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::Table')
    .map(([logicalId, resource]) => {
      const props = resource.Properties as unknown as CfnTableProperties;
      const indexes: GlobalSecondaryIndex[] | undefined = props.GlobalSecondaryIndexes?.map((index) => ({
        IndexName: index.IndexName,
        KeySchema: index.KeySchema,
        Projection: index.Projection,
      }));
      return {
        logicalId,
        create: {
          KeySchema: props.KeySchema,
          AttributeDefinitions: props.AttributeDefinitions,
          BillingMode: 'PAY_PER_REQUEST',
          ...(indexes && { GlobalSecondaryIndexes: indexes }),
          ...(props.StreamSpecification && {
            StreamSpecification: {
              StreamEnabled: true,
              StreamViewType: props.StreamSpecification.StreamViewType,
            },
          }),
        },
        ...(props.TimeToLiveSpecification?.Enabled && {
          timeToLiveAttribute: props.TimeToLiveSpecification.AttributeName,
        }),
      };
    });
}
