import { ParameterNotFoundError } from '@aws-lambda-powertools/parameters/errors';
import {
  GetRecommendationsCommand,
  type GetRecommendationsCommandInput,
  type PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { z } from 'zod';
import { notAvailable, type NotAvailable } from '../domain/chain';
import type { ModelItem, ModelRecommender, ModelRequest } from '../domain/ports';
import type { RecommendationType } from '../domain/recommendation';

/** How long a recommender's parameter is reused before SSM is asked again (a new ARN takes effect within this). */
export const PARAMETER_MAX_AGE_SECONDS = 300;
/** How long "no parameter: not trained yet" is believed before SSM is asked again. */
export const NOT_TRAINED_MAX_AGE_SECONDS = 60;

/**
 * The value of `<prefix>/<type>`: the campaign or the recommender that serves this kind of
 * recommendation (one of them), and the filter that leaves out what the shopper already bought.
 */
export const recommenderParameterSchema = z
  .strictObject({
    campaignArn: z.string().startsWith('arn:').optional(),
    recommenderArn: z.string().startsWith('arn:').optional(),
    filterArn: z.string().startsWith('arn:').optional(),
  })
  .refine((value) => !(value.campaignArn && value.recommenderArn), {
    message: 'name a campaignArn or a recommenderArn, not both',
  });
export type RecommenderParameter = z.infer<typeof recommenderParameterSchema>;

/** Reads an SSM parameter as Powertools' `getParameter` does (JSON, cached `maxAge` seconds). */
export type ParameterReader = (
  name: string,
  options: { readonly maxAge: number; readonly transform: 'json'; readonly throwOnMissing: true },
) => Promise<unknown>;

/** One GetRecommendations call: for which kind, how long it took, and how it ended. */
export interface PersonalizeCall {
  readonly type: RecommendationType;
  readonly latencyMs: number;
  readonly outcome: 'answered' | 'failed' | 'aborted';
}

export interface PersonalizeRecommenderProps {
  readonly client: PersonalizeRuntimeClient;
  /** Powertools' `getParameter` (`@aws-lambda-powertools/parameters/ssm`), or a provider's `get`. */
  readonly readParameter: ParameterReader;
  /** Parameters are `<parameterPrefix>/<type>`, such as `/ecommerce/dev/recommenders/for-you`. */
  readonly parameterPrefix: string;
  /** Told of every GetRecommendations call (for the PersonalizeLatency metric). @default nothing */
  readonly onCall?: (call: PersonalizeCall) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Amazon Personalize as the chain's first link. Which campaign or recommender serves a kind of
 * recommendation is in the SSM parameter `<prefix>/<type>`; no parameter (or one naming neither)
 * means none is trained yet: `NotAvailable`, not an error. Then GetRecommendations: `itemId` for
 * `similar` and `bought-together`, `userId` whenever the shopper is known (required for
 * `for-you`), and the parameter's `filterArn` whenever there is a user for it to filter on. A
 * campaign needs a user or an item, so anonymous `trending` comes from Personalize only through a
 * recommender (such as the ECOMMERCE domain's "trending now"); with a campaign it is `NotAvailable`.
 */
export class PersonalizeRecommender implements ModelRecommender {
  private readonly client: PersonalizeRuntimeClient;
  private readonly readParameter: ParameterReader;
  private readonly prefix: string;
  private readonly onCall: (call: PersonalizeCall) => void;
  private readonly now: () => number;
  /** Until when each parameter found missing is believed missing (Powertools caches only values). */
  private readonly notTrainedUntil = new Map<string, number>();

  constructor(props: PersonalizeRecommenderProps) {
    this.client = props.client;
    this.readParameter = props.readParameter;
    this.prefix = props.parameterPrefix.replace(/\/+$/, '');
    this.onCall = props.onCall ?? (() => undefined);
    this.now = props.now ?? Date.now;
  }

  async recommend(request: ModelRequest, signal: AbortSignal): Promise<readonly ModelItem[] | NotAvailable> {
    const { type, userId, itemId, numResults } = request;
    if (type === 'for-you' && userId === undefined) return notAvailable('for-you needs a user');
    if ((type === 'similar' || type === 'bought-together') && itemId === undefined)
      return notAvailable(`${type} needs an item`);

    const parameter = await this.parameterOf(type);
    if (!parameter) return notAvailable(`no campaign or recommender for ${type} yet`);
    const { campaignArn, recommenderArn, filterArn } = parameter;
    if (!campaignArn && !recommenderArn) return notAvailable(`no campaign or recommender for ${type} yet`);
    // A campaign answers about a user or an item; only a recommender (trending-now, say) answers anyone.
    if (!recommenderArn && userId === undefined && itemId === undefined)
      return notAvailable(`the ${type} campaign needs a user`);

    const input: GetRecommendationsCommandInput = {
      ...(recommenderArn ? { recommenderArn } : { campaignArn }),
      ...(itemId !== undefined && { itemId }),
      ...(userId !== undefined && { userId }),
      ...(filterArn && userId !== undefined && { filterArn }),
      numResults,
    };
    const started = this.now();
    let outcome: PersonalizeCall['outcome'] = 'failed';
    try {
      const { itemList = [] } = await this.client.send(new GetRecommendationsCommand(input), {
        abortSignal: signal,
      });
      outcome = 'answered';
      return itemList.flatMap(({ itemId: id, score }) =>
        id ? [{ itemId: id, ...(typeof score === 'number' && { score }) }] : [],
      );
    } catch (error) {
      if (signal.aborted) outcome = 'aborted';
      throw error;
    } finally {
      this.onCall({ type, latencyMs: this.now() - started, outcome });
    }
  }

  /** The parameter of `type`, or `undefined` when there is none. @throws when it is not valid. */
  private async parameterOf(type: RecommendationType): Promise<RecommenderParameter | undefined> {
    const name = `${this.prefix}/${type}`;
    if ((this.notTrainedUntil.get(name) ?? 0) > this.now()) return undefined;
    let value: unknown;
    try {
      value = await this.readParameter(name, {
        maxAge: PARAMETER_MAX_AGE_SECONDS,
        transform: 'json',
        throwOnMissing: true,
      });
    } catch (error) {
      if (!(error instanceof ParameterNotFoundError)) throw error;
      this.notTrainedUntil.set(name, this.now() + NOT_TRAINED_MAX_AGE_SECONDS * 1000);
      return undefined;
    }
    this.notTrainedUntil.delete(name);
    const parsed = recommenderParameterSchema.safeParse(value);
    if (!parsed.success) {
      throw new Error(
        `SSM parameter ${name} is not a recommender parameter: ${z.prettifyError(parsed.error)}`,
      );
    }
    return parsed.data;
  }
}
