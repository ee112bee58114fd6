/**
 * The local Lambda service: runs the stage's functions on this machine, each in a worker thread of
 * its own (a module cache, globals and `process.env` of its own), from the bundles CDK synthesized.
 *
 * ```
 *  invoke(fn, event) ──> Sandbox of fn (one Worker, function-worker.js)
 *                          cold start: require(<code>/index.js).handler, once
 *                          then any number of invocations at once, each with a Lambda context
 *  <── { ok, payload } | { ok: false, errorType, errorMessage, timedOut? }
 * ```
 *
 * As in Lambda: an invocation that runs past the function's timeout fails with `Sandbox.Timedout`
 * and its environment is thrown away (the next invocation starts cold); a module that fails to load
 * fails the invocation with the error it threw, and the next invocation tries again; a crash fails
 * the invocations in flight.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { LocalFunction } from '../template/functions';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../template/local-names';

export interface FunctionRef {
  readonly stackName: string;
  readonly logicalId: string;
}

export type InvokeResult =
  | { readonly ok: true; readonly payload: unknown }
  | {
      readonly ok: false;
      readonly errorType: string;
      readonly errorMessage: string;
      readonly timedOut?: boolean;
    };

export interface FunctionHostOptions {
  readonly functions: readonly LocalFunction[];
  /**
   * Added to (and overriding) every function's own environment: AWS_REGION, credentials,
   * AWS_ENDPOINT_URL_<SERVICE>...
   */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Each line a function writes to stdout/stderr, and the errors the host reports for it.
   * @default prints `[<logicalId without hash>] line`
   */
  readonly log?: (fn: FunctionRef, line: string) => void;
  /**
   * The function's name (`AWS_LAMBDA_FUNCTION_NAME`, `context.functionName`, its ARN).
   * @default AWS_LAMBDA_FUNCTION_NAME of the environment if given, else the logical id
   */
  readonly functionName?: (fn: LocalFunction) => string;
}

export interface FunctionHost {
  invoke(fn: FunctionRef, event: unknown): Promise<InvokeResult>;
  /** The functions it runs (for listing) */
  readonly functions: readonly LocalFunction[];
  stop(): Promise<void>;
}

/** Lambda's limit on a synchronous invocation's request and response. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Lambda gives the init phase 10 s, then once more within the first invocation's timeout. */
const INIT_ALLOWANCE_MS = 10_000;

/** Starts the host. Workers start on each function's first invocation. */
export async function startFunctionHost(options: FunctionHostOptions): Promise<FunctionHost> {
  const log = options.log ?? printLine;
  const inlineRoot = options.functions.some((fn) => fn.code.kind === 'inline')
    ? await fs.promises.mkdtemp(path.join(os.tmpdir(), 'local-lambda-inline-'))
    : undefined;
  const runtimes = new Map<string, FunctionRuntime>();
  for (const fn of options.functions) {
    const key = keyOf(fn);
    if (runtimes.has(key)) throw new Error(`Function ${key} is given twice`);
    const taskRoot = await codeDirectory(fn, inlineRoot);
    runtimes.set(key, new FunctionRuntime(fn, sandboxSettings(fn, taskRoot, options), log));
  }
  let stopped = false;
  return {
    functions: options.functions,
    invoke: async (ref, event) => {
      if (stopped) throw new Error('The function host is stopped');
      const runtime = runtimes.get(keyOf(ref));
      if (!runtime) {
        const known = [...runtimes.keys()].join(', ') || 'none';
        throw new Error(`Unknown function ${keyOf(ref)}. The function host runs: ${known}`);
      }
      const json = JSON.stringify(event ?? null);
      if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
        throw new Error(
          `RequestTooLargeException: the event for ${keyOf(ref)} is ${Buffer.byteLength(json)} bytes; Lambda takes ${MAX_PAYLOAD_BYTES} at most`,
        );
      }
      return runtime.invoke(json);
    },
    stop: async () => {
      stopped = true;
      await Promise.all([...runtimes.values()].map((runtime) => runtime.stop()));
      if (inlineRoot) await fs.promises.rm(inlineRoot, { recursive: true, force: true });
    },
  };
}

function keyOf(fn: FunctionRef): string {
  return `${fn.stackName}/${fn.logicalId}`;
}

/** CDK appends an 8-character hash to logical ids. */
function withoutHash(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '') || logicalId;
}

function printLine(fn: FunctionRef, line: string): void {
  process.stdout.write(`[${withoutHash(fn.logicalId)}] ${line}\n`);
}

/** Where the function's code is: the asset folder, or a folder holding its inline code as index.js. */
async function codeDirectory(fn: LocalFunction, inlineRoot: string | undefined): Promise<string> {
  if (fn.code.kind === 'asset') return fn.code.directory;
  const directory = path.join(inlineRoot ?? os.tmpdir(), `${fn.stackName}-${fn.logicalId}`);
  await fs.promises.mkdir(directory, { recursive: true });
  await fs.promises.writeFile(path.join(directory, 'index.js'), fn.code.source);
  return directory;
}

/** What a worker of the function is started with. */
interface SandboxSettings {
  readonly handler: string;
  readonly taskRoot: string;
  readonly env: Record<string, string>;
  readonly context: Record<string, string>;
  readonly timeoutMs: number;
  readonly memoryMb: number;
}

/**
 * The environment precedence: the function's own variables, then `options.environment`, then the
 * variables Lambda itself sets (which a template cannot set either).
 */
function sandboxSettings(fn: LocalFunction, taskRoot: string, options: FunctionHostOptions): SandboxSettings {
  const configured = { ...fn.environment, ...options.environment };
  const functionName = options.functionName?.(fn) ?? configured.AWS_LAMBDA_FUNCTION_NAME ?? fn.logicalId;
  const region = configured.AWS_REGION ?? LOCAL_REGION;
  const logGroupName = `/aws/lambda/${functionName}`;
  const logStreamName = `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`;
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(fn.memoryMb),
    logGroupName,
    logStreamName,
  };
  const env: Record<string, string> = {
    // What the runtime provides: the host's AWS SDK v3 stands for the runtime's own copy.
    NODE_PATH: sdkNodeModules(),
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    // Lambda runs the functions on a newer Node.js than this machine's: the SDK's warning is noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...configured,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: fn.handler,
    TZ: 'UTC',
  };
  return {
    handler: fn.handler,
    taskRoot,
    env,
    context,
    timeoutMs: fn.timeoutSeconds * 1000,
    memoryMb: fn.memoryMb,
  };
}

/** The node_modules folder the AWS SDK is installed in, for modules an inline function requires. */
function sdkNodeModules(): string {
  try {
    const sdk = require.resolve('@aws-sdk/client-dynamodb/package.json');
    return sdk.slice(0, sdk.lastIndexOf(`${path.sep}node_modules${path.sep}`) + '/node_modules'.length);
  } catch {
    return '';
  }
}

/** The frames of a stack trace up to the runtime's own (function-worker.js calling the handler). */
function userFrames(stack: string | undefined): string[] {
  const frames =
    stack?.split('\n').filter((line) => /^\s+at /.test(line) && !line.includes('node:internal')) ?? [];
  const runtime = frames.findIndex((frame) => frame.includes('function-worker.js'));
  const user = runtime === -1 ? frames : frames.slice(0, runtime);
  return user.at(-1)?.trim() === 'at new Promise (<anonymous>)' ? user.slice(0, -1) : user;
}

/** One function: its current sandbox, replaced when it times out, crashes or fails to load. */
class FunctionRuntime {
  private current: Sandbox | undefined;
  private readonly sandboxes = new Set<Sandbox>();

  constructor(
    private readonly fn: LocalFunction,
    private readonly settings: SandboxSettings,
    private readonly log: (fn: FunctionRef, line: string) => void,
  ) {}

  async invoke(event: string): Promise<InvokeResult> {
    for (;;) {
      const sandbox = this.sandbox();
      const init = await sandbox.ready;
      if (!init.ok) return init;
      if (sandbox.usable) return sandbox.invoke(event);
      // Retired while this invocation waited for it to start (another one timed out): take the next.
    }
  }

  async stop(): Promise<void> {
    this.current = undefined;
    await Promise.all([...this.sandboxes].map((sandbox) => sandbox.terminate('the function host stopped')));
  }

  private sandbox(): Sandbox {
    if (this.current?.usable) return this.current;
    const sandbox = new Sandbox(this.fn, this.settings, this.log, () => {
      if (this.current === sandbox) this.current = undefined;
      this.sandboxes.delete(sandbox);
    });
    this.sandboxes.add(sandbox);
    this.current = sandbox;
    return sandbox;
  }
}

type Failure = Extract<InvokeResult, { ok: false }>;

interface Pending {
  readonly requestId: string;
  readonly resolve: (result: InvokeResult) => void;
  readonly timer: NodeJS.Timeout;
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; errorType: string; errorMessage: string; stack?: string }
  | { type: 'result'; id: number; ok: true; payload: string }
  | { type: 'result'; id: number; ok: false; errorType: string; errorMessage: string; stack?: string };

/** One execution environment: a worker thread running function-worker.js. */
class Sandbox {
  readonly ready: Promise<{ ok: true } | Failure>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Set once it must take no new invocation: it timed out, crashed, failed to load or is stopping. */
  private retired = false;
  private initialized = false;
  private exitReason: string | undefined;
  private crash: Failure | undefined;
  private readonly exited: Promise<void>;
  private settleReady: (result: { ok: true } | Failure) => void = () => undefined;

  constructor(
    private readonly fn: LocalFunction,
    private readonly settings: SandboxSettings,
    private readonly log: (fn: FunctionRef, line: string) => void,
    private readonly onGone: () => void,
  ) {
    this.ready = new Promise((resolve) => (this.settleReady = resolve));
    this.worker = new Worker(path.join(__dirname, 'function-worker.js'), {
      workerData: { handler: settings.handler, taskRoot: settings.taskRoot, context: settings.context },
      env: settings.env,
      // The worker entry is plain JavaScript: no loader of the host (tsx, jest) is wanted in it.
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: settings.memoryMb },
    });
    this.pipe(this.worker.stdout);
    this.pipe(this.worker.stderr);
    const initTimer = setTimeout(() => {
      const seconds = (INIT_ALLOWANCE_MS + settings.timeoutMs) / 1000;
      this.report(`Init timed out after ${seconds} seconds`);
      this.failInit({
        ok: false,
        errorType: 'Sandbox.Timedout',
        errorMessage: `Init timed out after ${seconds} seconds`,
        timedOut: true,
      });
    }, INIT_ALLOWANCE_MS + settings.timeoutMs);
    this.ready.finally(() => clearTimeout(initTimer)).catch(() => undefined);
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (error: Error & { code?: string }) => {
      this.crash =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? {
              ok: false,
              errorType: 'Runtime.OutOfMemory',
              errorMessage: `Runtime exited with error: out of memory (${settings.memoryMb} MB)`,
            }
          : { ok: false, errorType: error.name || 'Error', errorMessage: error.message };
      this.report(
        `Uncaught ${this.crash.errorType}: ${this.crash.errorMessage} (the execution environment is replaced)`,
        error.stack,
      );
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.retired = true;
        const failure: Failure = this.crash ?? {
          ok: false,
          errorType: 'Runtime.ExitError',
          errorMessage: this.exitReason ?? `Runtime exited with error: exit status ${code}`,
        };
        if (this.exitReason === undefined && !this.crash) {
          this.report(`Runtime exited with status ${code}: the execution environment is replaced`);
        }
        this.failInit(failure);
        for (const [id, pending] of this.pending) this.settle(id, pending, failure);
        this.onGone();
        resolve();
      });
    });
  }

  /** Whether it takes new invocations. */
  get usable(): boolean {
    return !this.retired;
  }

  invoke(event: string): Promise<InvokeResult> {
    if (this.retired) {
      return Promise.resolve({
        ok: false,
        errorType: 'Runtime.ExitError',
        errorMessage: this.exitReason ?? 'The execution environment was shut down',
      });
    }
    const id = this.nextId++;
    const requestId = randomUUID();
    const deadlineMs = Date.now() + this.settings.timeoutMs;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.timeOut(id), this.settings.timeoutMs);
      this.pending.set(id, { requestId, resolve, timer });
      this.worker.postMessage({ type: 'invoke', id, requestId, event, deadlineMs });
    });
  }

  /** Ends the worker; invocations in flight fail with `reason`. */
  async terminate(reason: string): Promise<void> {
    this.retired = true;
    this.exitReason ??= reason;
    await this.worker.terminate();
    await this.exited;
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'ready':
        this.initialized = true;
        this.settleReady({ ok: true });
        return;
      case 'init-error': {
        const { errorType, errorMessage, stack } = message;
        this.report(`Init Error ${errorType}: ${errorMessage}`, stack);
        this.failInit({ ok: false, errorType, errorMessage });
        return;
      }
      case 'result': {
        const pending = this.pending.get(message.id);
        if (!pending) return; // it timed out already
        if (!message.ok) {
          const { errorType, errorMessage, stack } = message;
          this.report(`${pending.requestId} Invoke Error ${errorType}: ${errorMessage}`, stack);
          this.settle(message.id, pending, { ok: false, errorType, errorMessage });
        } else if (message.payload.length > MAX_PAYLOAD_BYTES) {
          this.settle(message.id, pending, {
            ok: false,
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: `Response payload size (${message.payload.length} bytes) exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`,
          });
        } else {
          this.settle(message.id, pending, { ok: true, payload: JSON.parse(message.payload) });
        }
        this.endIfRetiredAndIdle();
        return;
      }
    }
  }

  /** A failed init leaves nothing to reuse: the next invocation starts a new environment. */
  private failInit(failure: Failure): void {
    if (this.initialized) return;
    this.initialized = true;
    this.retired = true;
    this.settleReady(failure);
    this.exitReason ??= `${failure.errorType}: ${failure.errorMessage}`;
    void this.worker.terminate();
  }

  private timeOut(id: number): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    const seconds = this.settings.timeoutMs / 1000;
    this.report(`${pending.requestId} Task timed out after ${seconds} seconds`);
    this.settle(id, pending, {
      ok: false,
      errorType: 'Sandbox.Timedout',
      errorMessage: `Task timed out after ${seconds} seconds`,
      timedOut: true,
    });
    // The environment is thrown away. Other invocations in it may still finish in their own time.
    this.retired = true;
    this.exitReason ??= `Runtime exited: another invocation in the environment timed out after ${seconds} seconds`;
    this.endIfRetiredAndIdle();
  }

  private settle(id: number, pending: Pending, result: InvokeResult): void {
    clearTimeout(pending.timer);
    this.pending.delete(id);
    pending.resolve(result);
  }

  private endIfRetiredAndIdle(): void {
    if (this.retired && this.pending.size === 0) void this.worker.terminate();
  }

  private report(message: string, stack?: string): void {
    const ref = { stackName: this.fn.stackName, logicalId: this.fn.logicalId };
    for (const line of `ERROR ${message}`.split('\n')) this.log(ref, line);
    for (const line of userFrames(stack)) this.log(ref, line);
  }

  private pipe(stream: NodeJS.ReadableStream): void {
    const ref = { stackName: this.fn.stackName, logicalId: this.fn.logicalId };
    readline
      .createInterface({ input: stream, crlfDelay: Infinity })
      .on('line', (line) => this.log(ref, line));
  }
}
