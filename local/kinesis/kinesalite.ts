import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { freePort } from '../dynamodb/dynamodb-local';
import { waitForOutput } from '../process-output';

/** kinesalite: a Kinesis Data Streams emulator in plain JavaScript, in memory, run as a child process. */
export interface Kinesalite {
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export interface KinesaliteOptions {
  /** @default a free port */
  readonly port?: number;
}

const READY_WITHIN_MS = 15_000;

/** Starts kinesalite; streams are ACTIVE as soon as they are created (`--createStreamMs 0`). */
export async function startKinesalite(options: KinesaliteOptions = {}): Promise<Kinesalite> {
  const port = options.port ?? (await freePort());
  const cli = path.join(path.dirname(require.resolve('kinesalite/package.json')), 'cli.js');
  const child = spawn(
    process.execPath,
    [cli, '--port', String(port), '--createStreamMs', '0', '--deleteStreamMs', '0', '--updateStreamMs', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await waitForOutput(child, 'kinesalite', /Listening at/, READY_WITHIN_MS);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A Kinesis client for a local emulator. The SDK's default handler for Kinesis speaks HTTP/2,
 * which kinesalite does not (`ERR_HTTP2_ERROR`): this one uses HTTP/1.1.
 */
export function localKinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler(),
  });
}
