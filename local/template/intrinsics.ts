import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type LocalNames } from './local-names';
import type { CfnOutput, StageTemplates } from './stage-templates';

/** A template value with every intrinsic replaced by its local value. */
export type Resolved = string | number | boolean | null | Resolved[] | { [key: string]: Resolved };

/** The values of `AWS::Region`, `AWS::AccountId`, `AWS::Partition` and `AWS::URLSuffix` locally. */
export interface PseudoParameters {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
}

export const LOCAL_PSEUDO_PARAMETERS: PseudoParameters = {
  region: LOCAL_REGION,
  accountId: LOCAL_ACCOUNT_ID,
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
};

/** A resource a value refers to, through `Ref`, `Fn::GetAtt` or another stack's output. */
export interface ResourceReference {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  /** The attribute read with `Fn::GetAtt`; absent for a `Ref`. */
  readonly attribute?: string;
}

/** Where a value sits: its stack, and a description of the place for error messages. */
interface Place {
  readonly stackName: string;
  readonly where: string;
}

const NO_VALUE = Symbol('AWS::NoValue');
type Resolution = Resolved | typeof NO_VALUE;

/**
 * Resolves CloudFormation intrinsics (`Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`,
 * `Fn::Split`, `Fn::GetStackOutput`, `Fn::ImportValue`, `Fn::If`) to local values, which come from
 * `localNames`. Anything else throws an error naming where it was found.
 */
export class IntrinsicResolver {
  constructor(
    private readonly stage: StageTemplates,
    private readonly localNames: LocalNames,
    private readonly pseudo: PseudoParameters = LOCAL_PSEUDO_PARAMETERS,
  ) {}

  /**
   * Resolves a value of stack `stackName`; `where` names it in errors, such as
   * `dev-Api/OrdersOrderProcessing1FFF4712 Environment.Variables.ORDERS_TABLE_NAME`.
   */
  resolve(stackName: string, value: unknown, where: string): Resolved {
    const resolved = this.resolveAt({ stackName, where }, value);
    return resolved === NO_VALUE ? null : resolved;
  }

  /** Resolves a value that must be a string (numbers and booleans are written as strings). */
  resolveString(stackName: string, value: unknown, where: string): string {
    return asString({ stackName, where }, this.resolve(stackName, value, where));
  }

  /** The resource a value refers to, following `Fn::GetStackOutput` and `Fn::ImportValue` to their stack. */
  reference(stackName: string, value: unknown, where: string): ResourceReference {
    const place = { stackName, where };
    const [name, argument] = intrinsicOf(value) ?? [];
    switch (name) {
      case 'Ref':
      case 'Fn::GetAtt': {
        const [logicalId, attribute] =
          name === 'Ref' ? [asString(place, argument)] : getAttArguments(place, argument);
        const resource = this.stage.template(stackName).Resources?.[logicalId];
        if (!resource)
          throw new Error(`${where}: ${name} names ${logicalId}, not a resource of ${stackName}`);
        return { stackName, logicalId, type: resource.Type, ...(attribute && { attribute }) };
      }
      case 'Fn::GetStackOutput': {
        const { stackName: outputStack, output } = this.stackOutput(place, argument);
        return this.reference(outputStack, output.Value, where);
      }
      case 'Fn::ImportValue': {
        const { stackName: exportStack, output } = this.export(place, argument);
        return this.reference(exportStack, output.Value, where);
      }
      default:
        throw new Error(`${where}: ${JSON.stringify(value)} does not refer to a resource`);
    }
  }

  private resolveAt(place: Place, value: unknown): Resolution {
    if (Array.isArray(value)) {
      return value
        .map((item) => this.resolveAt(place, item))
        .filter((item): item is Resolved => item !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value as Resolved;
    const intrinsic = intrinsicOf(value);
    if (intrinsic) return this.intrinsic(place, intrinsic[0], intrinsic[1]);
    const resolved: Record<string, Resolved> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolvedItem = this.resolveAt(place, item);
      if (resolvedItem !== NO_VALUE) resolved[key] = resolvedItem;
    }
    return resolved;
  }

  private intrinsic(place: Place, name: string, argument: unknown): Resolution {
    switch (name) {
      case 'Ref':
        return this.ref(place, asString(place, argument));
      case 'Fn::GetAtt':
        return this.getAtt(place, ...getAttArguments(place, argument));
      case 'Fn::Join': {
        const [delimiter, items] = pair(place, name, argument);
        return asList(place, this.resolveAt(place, items))
          .map((item) => asString(place, item))
          .join(asString(place, delimiter));
      }
      case 'Fn::Sub':
        return this.sub(place, argument);
      case 'Fn::Select': {
        const [index, items] = pair(place, name, argument);
        const list = asList(place, this.resolveAt(place, items));
        const selected = list[Number(this.resolveAt(place, index))];
        if (selected === undefined)
          throw new Error(`${place.where}: Fn::Select index ${index} is outside the list`);
        return selected;
      }
      case 'Fn::Split': {
        const [delimiter, source] = pair(place, name, argument);
        return asString(place, this.resolveAt(place, source)).split(asString(place, delimiter));
      }
      case 'Fn::GetStackOutput': {
        const { stackName, output } = this.stackOutput(place, argument);
        return this.resolveAt({ stackName, where: place.where }, output.Value);
      }
      case 'Fn::ImportValue': {
        const { stackName, output } = this.export(place, argument);
        return this.resolveAt({ stackName, where: place.where }, output.Value);
      }
      case 'Fn::If': {
        if (!Array.isArray(argument) || argument.length !== 3) {
          throw new Error(`${place.where}: Fn::If takes [condition, valueIfTrue, valueIfFalse]`);
        }
        const [condition, whenTrue, whenFalse] = argument as [unknown, unknown, unknown];
        return this.resolveAt(place, this.condition(place, condition) ? whenTrue : whenFalse);
      }
      default:
        throw new Error(`${place.where}: ${name} is not supported by the local platform`);
    }
  }

  private ref(place: Place, name: string): Resolution {
    if (name.startsWith('AWS::')) return this.pseudoParameter(place, name);
    const template = this.stage.template(place.stackName);
    const parameter = template.Parameters?.[name];
    if (parameter) {
      if (parameter.Type.startsWith('AWS::SSM::Parameter::Value') || parameter.Default === undefined) {
        throw new Error(`${place.where}: parameter ${name} of ${place.stackName} has no local value`);
      }
      return this.resolveAt(place, parameter.Default);
    }
    return this.localValues(place, name).ref;
  }

  private getAtt(place: Place, logicalId: string, attribute: string): string {
    const { attributes } = this.localValues(place, logicalId);
    const value = attributes[attribute];
    if (value === undefined) {
      throw new Error(
        `${place.where}: no local value for ${logicalId}.${attribute} in ${place.stackName}` +
          ` (known: ${Object.keys(attributes).join(', ') || 'none'}); provide it in the local names`,
      );
    }
    return value;
  }

  private localValues(place: Place, logicalId: string) {
    const resource = this.stage.template(place.stackName).Resources?.[logicalId];
    if (!resource) throw new Error(`${place.where}: ${logicalId} is not a resource of ${place.stackName}`);
    return this.localNames(place.stackName, logicalId, resource.Type);
  }

  private pseudoParameter(place: Place, name: string): Resolution {
    switch (name) {
      case 'AWS::Region':
        return this.pseudo.region;
      case 'AWS::AccountId':
        return this.pseudo.accountId;
      case 'AWS::Partition':
        return this.pseudo.partition;
      case 'AWS::URLSuffix':
        return this.pseudo.urlSuffix;
      case 'AWS::StackName':
        return place.stackName;
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        throw new Error(`${place.where}: pseudo parameter ${name} is not supported by the local platform`);
    }
  }

  private sub(place: Place, argument: unknown): string {
    const [text, variables] =
      typeof argument === 'string'
        ? [argument, {}]
        : (pair(place, 'Fn::Sub', argument) as [unknown, unknown]);
    const values = Object.entries((variables ?? {}) as Record<string, unknown>);
    const local = new Map(values.map(([key, value]) => [key, asString(place, this.resolveAt(place, value))]));
    return asString(place, text).replace(/\$\{([^}]*)\}/g, (_, variable: string) => {
      if (variable.startsWith('!')) return `\${${variable.slice(1)}}`;
      const value = local.get(variable);
      if (value !== undefined) return value;
      const dot = variable.indexOf('.');
      if (dot > 0 && !variable.startsWith('AWS::')) {
        return this.getAtt(place, variable.slice(0, dot), variable.slice(dot + 1));
      }
      return asString(place, this.ref(place, variable));
    });
  }

  private condition(place: Place, expression: unknown): boolean {
    if (typeof expression === 'string') return this.namedCondition(place, expression);
    const [name, argument] = intrinsicOf(expression) ?? ['', undefined];
    const operands = Array.isArray(argument) ? (argument as unknown[]) : [];
    switch (name) {
      case 'Condition':
        return this.namedCondition(place, asString(place, argument));
      case 'Fn::Equals': {
        const [left, right] = operands.map((operand) => JSON.stringify(this.resolveAt(place, operand)));
        return left === right;
      }
      case 'Fn::Not':
        return !this.condition(place, operands[0]);
      case 'Fn::And':
        return operands.every((operand) => this.condition(place, operand));
      case 'Fn::Or':
        return operands.some((operand) => this.condition(place, operand));
      default:
        throw new Error(`${place.where}: condition ${JSON.stringify(expression)} is not supported locally`);
    }
  }

  private namedCondition(place: Place, name: string): boolean {
    const expression = this.stage.template(place.stackName).Conditions?.[name];
    if (expression === undefined)
      throw new Error(`${place.where}: no condition ${name} in ${place.stackName}`);
    return this.condition(place, expression);
  }

  private stackOutput(place: Place, argument: unknown): { stackName: string; output: CfnOutput } {
    const { StackName, OutputName } = (argument ?? {}) as { StackName?: unknown; OutputName?: unknown };
    const stackName = asString(place, this.resolveAt(place, StackName));
    const outputName = asString(place, this.resolveAt(place, OutputName));
    const output = this.stage.template(stackName).Outputs?.[outputName];
    if (!output) throw new Error(`${place.where}: stack ${stackName} has no output ${outputName}`);
    return { stackName, output };
  }

  private export(place: Place, argument: unknown): { stackName: string; output: CfnOutput } {
    const exportName = asString(place, this.resolveAt(place, argument));
    for (const stackName of this.stage.stackNames) {
      for (const [outputName, output] of Object.entries(this.stage.template(stackName).Outputs ?? {})) {
        if (output.Export === undefined) continue;
        const where = `${stackName} output ${outputName} Export.Name`;
        if (this.resolveString(stackName, output.Export.Name, where) === exportName)
          return { stackName, output };
      }
    }
    throw new Error(`${place.where}: no stack of the stage exports ${exportName}`);
  }
}

/** `[name, argument]` when the value is an intrinsic function or a `Condition` reference. */
function intrinsicOf(value: unknown): [string, unknown] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  const [entry] = entries;
  if (entries.length !== 1 || !entry) return undefined;
  const [name] = entry;
  return name === 'Ref' || name === 'Condition' || name.startsWith('Fn::') ? entry : undefined;
}

function getAttArguments(place: Place, argument: unknown): [string, string] {
  if (typeof argument === 'string') {
    const dot = argument.indexOf('.');
    if (dot > 0) return [argument.slice(0, dot), argument.slice(dot + 1)];
  }
  const [logicalId, attribute] = pair(place, 'Fn::GetAtt', argument);
  return [asString(place, logicalId), asString(place, attribute)];
}

function pair(place: Place, name: string, argument: unknown): [unknown, unknown] {
  if (!Array.isArray(argument) || argument.length !== 2) {
    throw new Error(`${place.where}: ${name} takes a list of two, received ${JSON.stringify(argument)}`);
  }
  return [argument[0], argument[1]];
}

function asList(place: Place, value: Resolution): Resolved[] {
  if (!Array.isArray(value))
    throw new Error(`${place.where}: expected a list, received ${JSON.stringify(value)}`);
  return value;
}

function asString(place: Place, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${place.where}: expected a string, received ${JSON.stringify(value)}`);
}
