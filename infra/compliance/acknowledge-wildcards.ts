import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

interface PolicyStatement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}

export interface AcknowledgeWildcardOptions {
  /**
   * Acknowledge only the findings matching one of these patterns; the others still fail the synth.
   * A finding reads `Action::s3:Get*` or `Resource::<OrdersTable315BB997.Arn>/index/*`.
   * @default - every wildcard finding under the scope
   */
  readonly only?: readonly RegExp[];
}

/**
 * Acknowledges every wildcard finding (AwsSolutions-IAM5) of the IAM policies under `scope`, with
 * one reason. For policies that aws-cdk-lib writes itself (CDK Pipelines' roles, the
 * BucketDeployment provider), whose statements we neither write nor can narrow; with `only`, for
 * the sub-resource wildcards that a `grant*` method adds to our own functions' roles.
 *
 * cdk-nag 3 matches an acknowledgement only by its exact finding id, such as
 * `AwsSolutions-IAM5[Resource::<Bucket.Arn>/*]`, and some of those ids contain cross-stack
 * references that exist only once the app is prepared. So the findings are computed in a
 * validation hook, which runs after preparation and before the policy checks, with the same
 * flattening cdk-nag uses; each finding is still listed in the validation report.
 */
export function acknowledgeWildcardPermissions(
  scope: IConstruct,
  reason: string,
  options: AcknowledgeWildcardOptions = {},
): void {
  const applies = (finding: string) => !options.only || options.only.some((pattern) => pattern.test(finding));
  scope.node.addValidation({
    validate: () => {
      for (const node of scope.node.findAll()) {
        for (const document of policyDocuments(node)) {
          const findings = wildcardFindings(Stack.of(node).resolve(document)).filter(applies);
          if (findings.length > 0) {
            Validations.of(node).acknowledge(
              ...findings.map((finding) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason })),
            );
          }
        }
      }
      return [];
    },
  });
}

function policyDocuments(node: IConstruct): unknown[] {
  if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy) {
    return [node.policyDocument];
  }
  if (node instanceof iam.CfnRole) {
    const inline = Stack.of(node).resolve(node.policies) as { policyDocument: unknown }[] | undefined;
    return (inline ?? []).map((policy) => policy.policyDocument);
  }
  return [];
}

function wildcardFindings(document: { Statement?: PolicyStatement[] }): string[] {
  const findings = new Set<string>();
  for (const statement of document.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of asArray(statement.Action)) {
      if (action.includes('*')) findings.add(`Action::${action}`);
    }
    for (const resource of asArray(statement.Resource).map(flattenCfnReference)) {
      if (resource.includes('*')) findings.add(`Resource::${resource}`);
    }
  }
  return [...findings];
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The finding of `<table ARN>/index/*`: a DynamoDB table grant covers the table's global secondary indexes. */
export const TABLE_INDEXES_WILDCARD = /^Resource::.+\/index\/\*$/;

/**
 * The finding of `<domain ARN>/<index>/*`: an OpenSearch `grantIndex*` covers the documents and APIs
 * (`_search`, `_bulk`, `_doc/<id>`) of that one index.
 */
export function searchIndexWildcard(index: string): RegExp {
  return new RegExp(`^Resource::.+/${index.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\*$`);
}
