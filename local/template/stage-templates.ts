import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';

/** A resource as a synthesized CloudFormation template declares it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
}

/** An output, possibly exported for `Fn::ImportValue`. */
export interface CfnOutput {
  readonly Value: unknown;
  readonly Export?: { readonly Name: unknown };
}

/** The parts of a synthesized CloudFormation template the local platform reads. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, CfnOutput>;
  readonly Conditions?: Record<string, unknown>;
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: unknown }>;
}

/** One resource of the stage, with the stack that declares it. */
export interface StageResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

interface AssemblyManifest {
  readonly artifacts?: Record<
    string,
    {
      readonly type: string;
      readonly displayName?: string;
      readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
    }
  >;
}

/** The stacks of one stage (such as dev), by stack name, as their synthesized templates declare them. */
export class StageTemplates {
  /** Reads the stacks of a stage's cloud assembly directory (such as `cdk.out/assembly-<App>-dev`). */
  static fromAssemblyDirectory(directory: string): StageTemplates {
    const manifest = readJson<AssemblyManifest>(path.join(directory, 'manifest.json'));
    const templates: Record<string, CfnTemplate> = {};
    for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
      if (artifact.type !== 'aws:cloudformation:stack') continue;
      const templateFile = artifact.properties?.templateFile;
      if (!templateFile) {
        throw new Error(`Stack artifact ${artifactId} in ${directory}/manifest.json has no templateFile`);
      }
      const stackName = artifact.properties?.stackName ?? artifact.displayName ?? artifactId;
      templates[stackName] = readJson<CfnTemplate>(path.join(directory, templateFile));
    }
    return new StageTemplates(templates);
  }

  /** Synthesizes the templates of stacks built in-process (such as the stacks of `stages.dev`). */
  static fromStacks(stacks: readonly Stack[]): StageTemplates {
    return new StageTemplates(
      Object.fromEntries(
        stacks.map((stack) => [stack.stackName, Template.fromStack(stack).toJSON() as CfnTemplate]),
      ),
    );
  }

  constructor(readonly templates: Readonly<Record<string, CfnTemplate>>) {}

  get stackNames(): string[] {
    return Object.keys(this.templates);
  }

  template(stackName: string): CfnTemplate {
    const template = this.templates[stackName];
    if (!template) {
      throw new Error(`No stack named ${stackName} in the stage (stacks: ${this.stackNames.join(', ')})`);
    }
    return template;
  }

  /** Every resource of every stack. */
  resources(): StageResource[] {
    return this.stackNames.flatMap((stackName) =>
      Object.entries(this.template(stackName).Resources ?? {}).map(([logicalId, resource]) =>
        toStageResource(stackName, logicalId, resource),
      ),
    );
  }

  resourcesOfType(type: string): StageResource[] {
    return this.resources().filter((resource) => resource.type === type);
  }

  resource(stackName: string, logicalId: string): StageResource {
    const resource = this.template(stackName).Resources?.[logicalId];
    if (!resource) throw new Error(`No resource ${logicalId} in stack ${stackName}`);
    return toStageResource(stackName, logicalId, resource);
  }
}

function toStageResource(stackName: string, logicalId: string, resource: CfnResource): StageResource {
  return { stackName, logicalId, type: resource.Type, properties: resource.Properties ?? {} };
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}
