import { Names, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as personalize from 'aws-cdk-lib/aws-personalize';
import { Construct } from 'constructs';

/**
 * The Interactions schema (Avro) of the dataset group: who did what to which item, and when.
 * `EVENT_VALUE` is optional (a purchase's value, for instance).
 */
export const INTERACTIONS_SCHEMA = {
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
    { name: 'EVENT_VALUE', type: ['null', 'float'], default: null },
  ],
  version: '1.0',
} as const;

/**
 * A Personalize resource name (63 characters at most) derived from the construct path, so unique per
 * stage (names are per account and region), with a suffix saying what it names.
 */
function personalizeName(scope: Construct, suffix = ''): string {
  return Names.uniqueResourceName(scope, { maxLength: 63 - suffix.length }) + suffix;
}

export interface InteractionsDatasetProps {
  /** What happens to the dataset group, its schema and its dataset when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The recommender's data: an Amazon Personalize dataset group (custom domain) with an Interactions
 * dataset. The event tracker appends the shoppers' interactions to it as they happen; solutions and
 * campaigns are trained from it. It holds data, so it lives with the stateful resources.
 */
export class InteractionsDataset extends Construct {
  public readonly datasetGroup: personalize.CfnDatasetGroup;
  public readonly schema: personalize.CfnSchema;
  public readonly dataset: personalize.CfnDataset;

  constructor(scope: Construct, id: string, props: InteractionsDatasetProps) {
    super(scope, id);

    this.datasetGroup = new personalize.CfnDatasetGroup(this, 'DatasetGroup', {
      name: personalizeName(this),
    });
    this.schema = new personalize.CfnSchema(this, 'InteractionsSchema', {
      name: personalizeName(this, '-schema'),
      schema: JSON.stringify(INTERACTIONS_SCHEMA),
    });
    this.dataset = new personalize.CfnDataset(this, 'Interactions', {
      name: personalizeName(this, '-interactions'),
      datasetType: 'Interactions',
      datasetGroupArn: this.datasetGroup.attrDatasetGroupArn,
      schemaArn: this.schema.attrSchemaArn,
    });
    for (const resource of [this.datasetGroup, this.schema, this.dataset]) {
      resource.applyRemovalPolicy(props.removalPolicy);
    }
  }

  public get datasetGroupArn(): string {
    return this.datasetGroup.attrDatasetGroupArn;
  }
}

export interface EventTrackerProps {
  /** The dataset group whose Interactions dataset receives the events. */
  readonly interactions: InteractionsDataset;
}

/**
 * The dataset group's event tracker (`AWS::Personalize::EventTracker`): `trackingId` is what
 * `PutEvents` calls name; `grantPutEvents` lets a function record events on this tracker only.
 */
export class EventTracker extends Construct {
  public readonly resource: personalize.CfnEventTracker;
  public readonly eventTrackerArn: string;
  /** The id `PutEvents` requests carry. */
  public readonly trackingId: string;

  constructor(scope: Construct, id: string, props: EventTrackerProps) {
    super(scope, id);
    this.resource = new personalize.CfnEventTracker(this, 'Resource', {
      name: personalizeName(this),
      datasetGroupArn: props.interactions.datasetGroupArn,
    });
    // Events go to the Interactions dataset: it exists before the tracker does.
    this.node.addDependency(props.interactions.dataset);
    this.eventTrackerArn = this.resource.attrEventTrackerArn;
    this.trackingId = this.resource.attrTrackingId;
  }

  /** Lets `grantee` record events (`personalize:PutEvents`) on this tracker and no other. */
  public grantPutEvents(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['personalize:PutEvents'],
      resourceArns: [this.eventTrackerArn],
    });
  }
}
