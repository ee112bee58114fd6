import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { freePort } from '../dynamodb/dynamodb-local';

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
    await untilListening(child);
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

/** Resolves once kinesalite prints that it listens; rejects if it exits or takes too long. */
function untilListening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`kinesalite did not start within ${READY_WITHIN_MS} ms:\n${output}`)),
      READY_WITHIN_MS,
    );
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Listening at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kinesalite exited with code ${code}:\n${output}`));
    });
  });
}
