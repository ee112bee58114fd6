import { Names, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as personalize from 'aws-cdk-lib/aws-personalize';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ShopEventType } from '../../services/clickstream/domain/shop-event';
import {
  RECOMMENDATION_TYPES,
  type RecommendationType,
} from '../../services/recommendations/domain/recommendation';

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
 * A model the training workflow trains (a solution with automatic training off) and deploys (a
 * campaign), for one kind of recommendation. The kinds without one (`trending`, `bought-together`)
 * are served by the live data; docs/decisions/011-recommendations.md says why.
 */
export interface RecommenderModel {
  /** The kind of recommendation it serves: its campaign is named in the parameter `<prefix>/<type>`. */
  readonly type: RecommendationType;
  /** The Personalize recipe (custom dataset group). */
  readonly recipe: string;
  /** Whether its parameter names the filter that leaves out what the shopper bought. */
  readonly excludePurchased: boolean;
}

/** The models of the platform: `for-you` from a shopper's history, `similar` from co-interactions. */
export const RECOMMENDER_MODELS: readonly RecommenderModel[] = [
  { type: 'for-you', recipe: 'aws-user-personalization-v2', excludePurchased: true },
  { type: 'similar', recipe: 'aws-similar-items', excludePurchased: false },
];

/** The event type of a purchase, as the clickstream records it (and the event tracker sends it). */
export const PURCHASE_EVENT_TYPE: ShopEventType = 'purchase';

/** The filter expression that leaves out of a shopper's recommendations what they bought. */
export const EXCLUDE_PURCHASED_EXPRESSION = `EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("${PURCHASE_EVENT_TYPE}")`;

/** Where the training workflow writes the interactions it imports into the dataset, in the lake. */
export const INTERACTIONS_IMPORT_PREFIX = 'personalize/interactions/';

/**
 * Longest name prefix of the Personalize resources that are not CloudFormation's (solutions,
 * campaigns, import jobs): a job name adds `-import-` and 10 digits, and names have 63 characters
 * at most.
 */
const NAME_PREFIX_MAX_LENGTH = 40;

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
 * dataset, and the filter that leaves out what a shopper bought. The event tracker appends the
 * shoppers' interactions to the dataset as they happen; the training workflow imports the lake's
 * older ones, trains solutions and deploys campaigns from it. It holds data, so it lives with the
 * stateful resources.
 *
 * It also names what the training workflow creates outside CloudFormation (solutions, campaigns,
 * import jobs, the SSM parameters naming the campaigns), all under `namePrefix`, so that IAM
 * policies can name them before they exist, and grants access to them.
 */
export class InteractionsDataset extends Construct {
  public readonly datasetGroup: personalize.CfnDatasetGroup;
  public readonly schema: personalize.CfnSchema;
  public readonly dataset: personalize.CfnDataset;
  /** `EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")`, applied to `for-you`. */
  public readonly excludePurchasedFilter: personalize.CfnFilter;
  /** Start of the name of every Personalize resource the training workflow creates: unique per stage. */
  public readonly namePrefix: string;
  /**
   * The SSM path under which the training workflow writes one parameter per kind of recommendation,
   * `<prefix>/<type>` (JSON `{ campaignArn, filterArn? }`), and the recommendations API reads it. No
   * parameter: no model trained for that kind yet.
   */
  public readonly recommendersParameterPrefix: string;

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
    this.excludePurchasedFilter = new personalize.CfnFilter(this, 'ExcludePurchasedFilter', {
      name: personalizeName(this, '-exclude-purchased'),
      datasetGroupArn: this.datasetGroup.attrDatasetGroupArn,
      filterExpression: EXCLUDE_PURCHASED_EXPRESSION,
    });
    // The expression reads the Interactions dataset: it must exist first.
    this.excludePurchasedFilter.node.addDependency(this.dataset);
    for (const resource of [this.datasetGroup, this.schema, this.dataset, this.excludePurchasedFilter]) {
      resource.applyRemovalPolicy(props.removalPolicy);
    }

    this.namePrefix = Names.uniqueResourceName(this, { maxLength: NAME_PREFIX_MAX_LENGTH });
    this.recommendersParameterPrefix = `/${this.namePrefix}/recommenders`;
  }

  public get datasetGroupArn(): string {
    return this.datasetGroup.attrDatasetGroupArn;
  }

  public get datasetArn(): string {
    return this.dataset.attrDatasetArn;
  }

  /** Name of the solution, and of the campaign, of a kind of recommendation. */
  public modelName(type: RecommendationType): string {
    return `${this.namePrefix}-${type}`;
  }

  /** ARN of the solution of a kind of recommendation (the workflow creates it). */
  public solutionArn(type: RecommendationType): string {
    return this.personalizeArn('solution', this.modelName(type));
  }

  /** ARN of the campaign of a kind of recommendation (the workflow creates it). */
  public campaignArn(type: RecommendationType): string {
    return this.personalizeArn('campaign', this.modelName(type));
  }

  /** The SSM parameter that names the campaign of a kind of recommendation. */
  public parameterName(type: RecommendationType): string {
    return `${this.recommendersParameterPrefix}/${type}`;
  }

  public parameterArn(type: RecommendationType): string {
    return Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: this.parameterName(type).replace(/^\//, ''),
    });
  }

  /**
   * Lets `grantee` ask the campaigns of `RECOMMENDER_MODELS` for recommendations, with the
   * exclude-purchased filter (`personalize:GetRecommendations`), and nothing else.
   */
  public grantGetRecommendations(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['personalize:GetRecommendations'],
      resourceArns: [
        ...RECOMMENDER_MODELS.map((model) => this.campaignArn(model.type)),
        this.excludePurchasedFilter.attrFilterArn,
      ],
    });
  }

  /**
   * Lets `grantee` read the parameter of every kind of recommendation (`ssm:GetParameter`), the
   * ones no model serves included: reading a missing parameter must say "not found", not "denied".
   */
  public grantReadRecommenderParameters(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParameter'],
      resourceArns: RECOMMENDATION_TYPES.map((type) => this.parameterArn(type)),
    });
  }

  /**
   * Lets Personalize read the interactions the training workflow writes under `prefix` in `bucket`
   * for a dataset import job: the bucket policy Personalize requires beside the import role's own
   * permissions, for this account's import jobs and that prefix only.
   */
  public allowImportsFrom(bucket: s3.IBucket, prefix: string): void {
    const personalizeService = new iam.ServicePrincipal('personalize.amazonaws.com');
    const fromThisAccount = { 'aws:SourceAccount': Stack.of(this).account };
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PersonalizeReadsInteractionImports',
        principals: [personalizeService],
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${prefix}*`)],
        conditions: { StringEquals: fromThisAccount },
      }),
    );
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PersonalizeListsInteractionImports',
        principals: [personalizeService],
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringEquals: fromThisAccount, StringLike: { 's3:prefix': `${prefix}*` } },
      }),
    );
  }

  private personalizeArn(resource: string, name: string): string {
    return Stack.of(this).formatArn({ service: 'personalize', resource, resourceName: name });
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
