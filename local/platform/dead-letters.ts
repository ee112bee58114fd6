import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResourceReference } from '../template/intrinsics';
import type { LocalNames } from '../template/local-names';
import type { StageTemplates } from '../template/stage-templates';

/** Sends an on-failure record to its destination. */
export interface DeadLetterWriter {
  (destination: ResourceReference, record: unknown): Promise<void>;
  /** The file that holds a queue's messages. */
  fileOf(queueName: string): string;
}

/**
 * The on-failure destinations of event source mappings (SQS queues or SNS topics in AWS): locally,
 * each is a JSON Lines file under `directory`, one Lambda invocation record a line, so a failed
 * batch is kept and can be read, never dropped.
 */
export function deadLetterWriter(
  directory: string,
  stage: StageTemplates,
  names: LocalNames,
  log: (line: string) => void,
): DeadLetterWriter {
  fs.mkdirSync(directory, { recursive: true });
  const fileOf = (queueName: string) => path.join(directory, `${queueName}.jsonl`);
  const write = async (destination: ResourceReference, record: unknown) => {
    const type = stage.resource(destination.stackName, destination.logicalId).type;
    const { ref, attributes } = names(destination.stackName, destination.logicalId, type);
    const file = fileOf(attributes.QueueName ?? attributes.TopicName ?? ref);
    await fs.promises.appendFile(file, `${JSON.stringify(record)}\n`);
    log(`A failed batch went to its on-failure destination: ${path.relative(process.cwd(), file)}`);
  };
  return Object.assign(write, { fileOf });
}
