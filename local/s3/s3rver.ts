import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { waitForOutput } from '../process-output';

/** s3rver: an S3 emulator in plain JavaScript, storing objects in a folder, run as a child process. */
export interface S3rver {
  readonly endpoint: string;
  readonly process: ChildProcess;
  /** Where the objects are stored. */
  readonly directory: string;
  stop(): Promise<void>;
}

export interface S3rverOptions {
  /** @default a free port */
  readonly port?: number;
  /**
   * Where the objects are kept across restarts.
   * @default a temporary folder, deleted by `stop()`
   */
  readonly directory?: string;
  /**
   * Buckets to create at start.
   * @default none
   */
  readonly buckets?: readonly string[];
  /**
   * Access keys accepted besides s3rver's own (`S3RVER_CREDENTIALS`), such as the dummy ones every
   * other local endpoint takes.
   * @default none
   */
  readonly credentials?: readonly { readonly accessKeyId: string; readonly secretAccessKey: string }[];
}

/** s3rver's built-in credentials; it refuses requests signed with any other key not listed at start. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const READY_WITHIN_MS = 15_000;

/**
 * Starts s3rver (through s3rver-main.mjs, which adds the extra access keys). It runs with `--openssl-legacy-provider`: its continuation tokens use DES, which
 * OpenSSL 3 refuses otherwise, so any listing longer than a page would fail with HTTP 500.
 */
export async function startS3rver(options: S3rverOptions = {}): Promise<S3rver> {
  const temporary = options.directory === undefined;
  const directory = options.directory ?? fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  fs.mkdirSync(directory, { recursive: true });
  const main = path.join(__dirname, 's3rver-main.mjs');
  const settings = {
    port: options.port ?? 0,
    directory,
    buckets: options.buckets ?? [],
    credentials: options.credentials ?? [],
  };
  const child = spawn(process.execPath, ['--openssl-legacy-provider', main, JSON.stringify(settings)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let port: number;
  try {
    const [, listeningPort] = await waitForOutput(
      child,
      's3rver',
      /S3rver listening on [^:\s]+:(\d+)/,
      READY_WITHIN_MS,
    );
    port = Number(listeningPort);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    process: child,
    directory,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      if (temporary) fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * An S3 client for s3rver: path-style addressing, its credentials, and checksums only where the
 * API requires them (otherwise streamed uploads are stored with their aws-chunked framing).
 */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: S3RVER_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
