import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort } from '../dynamodb/dynamodb-local';
import { waitForOutput } from '../process-output';
import {
  AUTO_CONFIRM_FUNCTION_NAME,
  startAutoConfirmTrigger,
  type AutoConfirmTrigger,
} from './auto-confirm-trigger';

/**
 * cognito-local: a Cognito user pools emulator (pools, clients, groups, users, tokens signed with
 * its own fixed RS256 key), run as a child process. Its state lives in `<directory>/.cognito/`.
 */
export interface CognitoLocal {
  /** `http://127.0.0.1:PORT`; also the issuer domain of its tokens (`<endpoint>/<userPoolId>`). */
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export interface CognitoLocalOptions {
  /** Folder whose `.cognito/` holds the pools, clients, users and config; they persist across restarts. */
  readonly directory: string;
  /** @default a free port */
  readonly port?: number;
  /**
   * `'auto-confirm'`: a local PreSignUp trigger confirms every `SignUp` and verifies its email.
   * @default sign-ups stay UNCONFIRMED until `ConfirmSignUp` with the code cognito-local prints
   */
  readonly preSignUp?: 'auto-confirm';
}

const READY_WITHIN_MS = 30_000;
const STOP_WITHIN_MS = 5_000;
const OUTPUT_TAIL_LINES = 20;

/**
 * Starts cognito-local on 127.0.0.1. Before it starts, `<directory>/.cognito/config.json` is
 * updated with the keys this function manages (`ServerConfig.port`/`hostname`,
 * `TokenConfig.IssuerDomain`, `UserPoolDefaults.UsernameAttributes`, `TriggerFunctions.PreSignUp`,
 * `LambdaClient`); other keys are kept.
 */
export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const directory = path.resolve(options.directory);
  const port = options.port ?? (await freePort());
  if (options.port !== undefined) await assertPortFree(port);
  const endpoint = `http://127.0.0.1:${port}`;
  const trigger = options.preSignUp === 'auto-confirm' ? await startAutoConfirmTrigger() : undefined;

  let child: ChildProcess | undefined;
  try {
    writeConfig(directory, port, endpoint, trigger);
    child = spawn(process.execPath, [cognitoLocalBin()], {
      cwd: directory,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        // cognito-local calls triggers with the AWS SDK v2, which prints an end-of-support note.
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForOutput(child, 'cognito-local', /Cognito Local running on/, READY_WITHIN_MS);
  } catch (error) {
    child?.kill('SIGKILL');
    await trigger?.stop();
    throw startError(error, directory, port);
  }

  const running = child;
  return {
    endpoint,
    process: running,
    stop: async () => {
      await stopProcess(running);
      await trigger?.stop();
    },
  };
}

function cognitoLocalBin(): string {
  return path.join(path.dirname(require.resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js');
}

/** Fails with a clear message when something already listens on the port. */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? portBusyError(port) : error),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function portBusyError(port: number): Error {
  return new Error(
    `cannot start cognito-local on port ${port}: the port is busy (another process listens on it). ` +
      'Stop that process, or leave the port out to use a free one.',
  );
}

type JsonObject = Record<string, unknown>;

function writeConfig(
  directory: string,
  port: number,
  endpoint: string,
  trigger: AutoConfirmTrigger | undefined,
): void {
  const file = path.join(directory, '.cognito', 'config.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let config: JsonObject = {};
  if (fs.existsSync(file)) {
    try {
      config = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
    } catch (error) {
      throw new Error(`${file} is not valid JSON (${(error as Error).message}): fix or delete it`, {
        cause: error,
      });
    }
  }
  const section = (key: string): JsonObject => {
    const value = config[key];
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
  };
  const triggerFunctions = section('TriggerFunctions');
  if (trigger) {
    triggerFunctions.PreSignUp = trigger.functionName;
    config.LambdaClient = {
      endpoint: trigger.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
  } else if (triggerFunctions.PreSignUp === AUTO_CONFIRM_FUNCTION_NAME) {
    delete triggerFunctions.PreSignUp;
    if (Object.keys(triggerFunctions).length === 0) delete config.LambdaClient;
  }
  config.TriggerFunctions = triggerFunctions;
  config.TokenConfig = { ...section('TokenConfig'), IssuerDomain: endpoint };
  config.ServerConfig = { ...section('ServerConfig'), port, hostname: '127.0.0.1' };
  // cognito-local makes every pool sign in by email unless told otherwise; the template decides.
  config.UserPoolDefaults = { ...section('UserPoolDefaults'), UsernameAttributes: [] };
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}

/** What cognito-local printed, without colours and without the AWS SDK v2 end-of-support note. */
function readableOutput(output: string): string[] {
  return (
    output
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;]*m/g, '')
      .replace(/^.*NOTE: The AWS SDK for JavaScript \(v2\)[\s\S]*?--trace-warnings[^\n]*\n?/m, '')
      .split('\n')
      .filter((line) => line.trim() !== '')
  );
}

/** The error to throw when cognito-local did not start: why, and the tail of what it printed. */
function startError(error: unknown, directory: string, port: number): Error {
  const message = (error as Error).message ?? String(error);
  if (!/^cognito-local (exited|did not start)/.test(message)) return error as Error;
  const [firstLine = message, ...printed] = message.split('\n');
  const reason = firstLine.replace(/:$/, '');
  const lines = readableOutput(printed.join('\n'));
  if (lines.some((line) => line.includes('EADDRINUSE'))) return portBusyError(port);
  const tail = lines.slice(-OUTPUT_TAIL_LINES).join('\n') || '(it printed nothing)';
  return new Error(
    `cognito-local did not start in ${directory} on port ${port}: ${reason}. It printed:\n${tail}`,
    {
      cause: error,
    },
  );
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_WITHIN_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
