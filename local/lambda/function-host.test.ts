import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import type { LocalFunction } from '../template/functions';
import { startFunctionHost, type FunctionHost, type FunctionRef } from './function-host';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'function-host-test-'));

/** A function whose bundle is `source`, written as index.js into a folder of its own. */
function bundled(logicalId: string, source: string, props: Partial<LocalFunction> = {}): LocalFunction {
  const directory = path.join(root, logicalId);
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, 'index.js'), source);
  return {
    stackName: 'dev-Test',
    logicalId,
    handler: 'index.handler',
    runtime: 'nodejs24.x',
    timeoutSeconds: 10,
    memoryMb: 256,
    environment: {},
    code: { kind: 'asset', directory },
    ...props,
  };
}

const ref = (fn: LocalFunction): FunctionRef => ({ stackName: fn.stackName, logicalId: fn.logicalId });

/** Waits until `predicate` holds: a worker's output reaches the host a little after its results. */
async function eventually(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(predicate()).toBe(true);
}

describe('FunctionHost', () => {
  const lines: { logicalId: string; line: string }[] = [];
  const logOf = (fn: LocalFunction) =>
    lines.filter((entry) => entry.logicalId === fn.logicalId).map((entry) => entry.line);
  let hosts: FunctionHost[] = [];

  async function host(functions: LocalFunction[], environment: Record<string, string> = {}) {
    const started = await startFunctionHost({
      functions,
      environment,
      log: (fn, line) => lines.push({ logicalId: fn.logicalId, line }),
    });
    hosts.push(started);
    return started;
  }

  afterEach(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    hosts = [];
    lines.length = 0;
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  describe('environment', () => {
    const reportEnvironment = `
      exports.handler = async (event, context) => {
        const before = { leak: process.env.LEAK, mark: globalThis.mark };
        process.env.LEAK = event.name;
        globalThis.mark = event.name;
        const pick = (...names) => Object.fromEntries(names.map((name) => [name, process.env[name]]));
        return {
          before,
          env: pick('GREETING', 'SHARED', 'AWS_REGION', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
            'AWS_LAMBDA_FUNCTION_VERSION', 'LAMBDA_TASK_ROOT', 'TZ', 'AWS_EXECUTION_ENV', '_X_AMZN_TRACE_ID', 'HOME'),
          context: {
            awsRequestId: context.awsRequestId,
            functionName: context.functionName,
            functionVersion: context.functionVersion,
            invokedFunctionArn: context.invokedFunctionArn,
            memoryLimitInMB: context.memoryLimitInMB,
            logGroupName: context.logGroupName,
            remaining: context.getRemainingTimeInMillis(),
            callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
          },
        };
      };`;

    it('gives each function its own variables, the host’s over them, Lambda’s own, and its own globals', async () => {
      const a = bundled('FunctionA1234ABCD', reportEnvironment, {
        environment: { GREETING: 'hello from A', SHARED: 'from the template' },
        memoryMb: 512,
      });
      const b = bundled('FunctionB5678ABCD', reportEnvironment, {
        environment: { GREETING: 'hello from B', AWS_LAMBDA_FUNCTION_NAME: 'dev-FunctionB' },
        timeoutSeconds: 30,
      });
      const functions = await host([a, b], { SHARED: 'from the host', AWS_REGION: 'eu-west-1' });

      const fromA = await functions.invoke(ref(a), { name: 'A' });
      const fromB = await functions.invoke(ref(b), { name: 'B' });

      expect(fromA).toEqual({
        ok: true,
        payload: {
          before: {},
          env: {
            GREETING: 'hello from A',
            SHARED: 'from the host',
            AWS_REGION: 'eu-west-1',
            AWS_LAMBDA_FUNCTION_NAME: 'FunctionA1234ABCD',
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
            AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
            LAMBDA_TASK_ROOT: path.join(root, 'FunctionA1234ABCD'),
            TZ: 'UTC',
            AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
            // Tracing libraries find Lambda's trace header, unsampled: they send nothing.
            _X_AMZN_TRACE_ID: expect.stringMatching(
              /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
            ),
          },
          context: {
            awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
            functionName: 'FunctionA1234ABCD',
            functionVersion: '$LATEST',
            invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:FunctionA1234ABCD',
            memoryLimitInMB: '512',
            logGroupName: '/aws/lambda/FunctionA1234ABCD',
            remaining: expect.any(Number),
            callbackWaitsForEmptyEventLoop: true,
          },
        },
      });
      const payloadOfB = (fromB as { payload: any }).payload;
      expect(payloadOfB.before).toEqual({});
      expect(payloadOfB.env).toMatchObject({
        GREETING: 'hello from B',
        SHARED: 'from the host',
        AWS_LAMBDA_FUNCTION_NAME: 'dev-FunctionB',
      });
      expect(payloadOfB.context.remaining).toBeGreaterThan(10_000);
      expect(payloadOfB.context.remaining).toBeLessThanOrEqual(30_000);
      expect(process.env.LEAK).toBeUndefined();
      // A warm function keeps what its module and its process.env hold.
      const again = await functions.invoke(ref(a), { name: 'A2' });
      expect((again as { payload: any }).payload.before).toEqual({ leak: 'A', mark: 'A' });
    });

    it('lists the functions it runs, and names them when asked for another', async () => {
      const a = bundled('Known', 'exports.handler = async () => 1;');
      const functions = await host([a]);

      expect(functions.functions).toEqual([a]);
      await expect(functions.invoke({ stackName: 'dev-Test', logicalId: 'Unknown' }, {})).rejects.toThrow(
        'Unknown function dev-Test/Unknown. The function host runs: dev-Test/Known',
      );
    });
  });

  describe('invocations', () => {
    it('keeps module state between invocations and runs invocations at the same time', async () => {
      // The first invocation waits for the second: it only returns if both run at once.
      const fn = bundled(
        'Concurrent',
        `
        let invocations = 0;
        let open;
        const gate = new Promise((resolve) => (open = resolve));
        exports.handler = async (event) => {
          invocations += 1;
          if (event.role === 'wait') await gate;
          if (event.role === 'open') open();
          return { role: event.role, invocations };
        };`,
      );
      const functions = await host([fn]);

      const waiting = functions.invoke(ref(fn), { role: 'wait' });
      const opening = await functions.invoke(ref(fn), { role: 'open' });

      expect(opening).toEqual({ ok: true, payload: { role: 'open', invocations: 2 } });
      expect(await waiting).toEqual({ ok: true, payload: { role: 'wait', invocations: 2 } });
      expect(await functions.invoke(ref(fn), { role: 'count' })).toEqual({
        ok: true,
        payload: { role: 'count', invocations: 3 },
      });
    });

    it('returns the payload as JSON text turns it, as Lambda does', async () => {
      const fn = bundled(
        'Json',
        `exports.handler = async () => ({ at: new Date(0), missing: undefined, big: 12, list: [undefined] });`,
      );
      const nothing = bundled('Nothing', 'exports.handler = async () => {};');
      const functions = await host([fn, nothing]);

      expect(await functions.invoke(ref(fn), {})).toEqual({
        ok: true,
        payload: { at: '1970-01-01T00:00:00.000Z', big: 12, list: [null] },
      });
      expect(await functions.invoke(ref(nothing), {})).toEqual({ ok: true, payload: null });
    });

    it('runs handlers that take a callback, and inline code', async () => {
      const callback = bundled(
        'Callback',
        'exports.handler = (event, context, callback) => setTimeout(() => callback(null, event.n + 1), 1);',
      );
      const inline: LocalFunction = {
        ...bundled('Inline', ''),
        code: {
          kind: 'inline',
          source:
            'exports.handler = async (event) => ({ sdk: typeof require("@aws-sdk/client-s3").S3Client });',
        },
      };
      const functions = await host([callback, inline]);

      expect(await functions.invoke(ref(callback), { n: 41 })).toEqual({ ok: true, payload: 42 });
      // The runtime provides the AWS SDK to inline code.
      expect(await functions.invoke(ref(inline), {})).toEqual({ ok: true, payload: { sdk: 'function' } });
    });

    it('pipes what a function prints to the log, line by line', async () => {
      const fn = bundled(
        'Printer',
        `exports.handler = async () => { console.log('first\\nsecond'); console.error('third'); return 'done'; };`,
      );
      const functions = await host([fn]);

      await functions.invoke(ref(fn), {});

      await eventually(() => logOf(fn).length >= 3);
      expect(logOf(fn)).toEqual(expect.arrayContaining(['first', 'second', 'third']));
    });
  });

  describe('errors', () => {
    it('returns the name and message of an error a handler throws, and logs its stack', async () => {
      const fn = bundled(
        'Thrower',
        `
        class OrderNotFoundError extends Error {
          constructor(message) { super(message); this.name = 'OrderNotFoundError'; }
        }
        exports.handler = async (event) => { throw new OrderNotFoundError('no order ' + event.id); };`,
      );
      const functions = await host([fn]);

      const result = await functions.invoke(ref(fn), { id: 'o-1' });

      expect(result).toEqual({ ok: false, errorType: 'OrderNotFoundError', errorMessage: 'no order o-1' });
      expect(logOf(fn)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ERROR [0-9a-f-]{36} Invoke Error OrderNotFoundError: no order o-1$/),
          expect.stringContaining(path.join(root, 'Thrower', 'index.js')),
        ]),
      );
    });

    it('fails every invocation with the error its module throws at load, and tries again on the next', async () => {
      const fn = bundled(
        'BadConfig',
        `
        if (!process.env.ORDERS_TABLE_NAME) throw new TypeError('ORDERS_TABLE_NAME must be set: received nothing');
        exports.handler = async () => 'loaded';`,
      );
      const functions = await host([fn]);

      const results = await Promise.all([functions.invoke(ref(fn), {}), functions.invoke(ref(fn), {})]);
      const again = await functions.invoke(ref(fn), {});

      const failure = {
        ok: false,
        errorType: 'TypeError',
        errorMessage: 'ORDERS_TABLE_NAME must be set: received nothing',
      };
      expect(results).toEqual([failure, failure]);
      expect(again).toEqual(failure);
      expect(logOf(fn).filter((line) => line.startsWith('ERROR'))).toEqual([
        'ERROR Init Error TypeError: ORDERS_TABLE_NAME must be set: received nothing',
        'ERROR Init Error TypeError: ORDERS_TABLE_NAME must be set: received nothing',
      ]);
    });

    it('names a missing module, a missing handler and a syntax error as Lambda does', async () => {
      const missingModule = { ...bundled('MissingModule', ''), handler: 'app.handler' };
      const missingHandler = { ...bundled('MissingHandler', 'exports.other = () => 1;') };
      const missingDependency = bundled('MissingDependency', 'require("not-a-package-anywhere");');
      const syntax = bundled('Syntax', 'exports.handler = async () => {{;');
      const functions = await host([missingModule, missingHandler, missingDependency, syntax]);

      expect(await functions.invoke(ref(missingModule), {})).toMatchObject({
        ok: false,
        errorType: 'Runtime.ImportModuleError',
        errorMessage: expect.stringContaining("Cannot find module 'app'"),
      });
      expect(await functions.invoke(ref(missingHandler), {})).toEqual({
        ok: false,
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: 'index.handler is undefined or not exported',
      });
      expect(await functions.invoke(ref(missingDependency), {})).toMatchObject({
        ok: false,
        errorType: 'Runtime.ImportModuleError',
        errorMessage: expect.stringContaining("Cannot find module 'not-a-package-anywhere'"),
      });
      expect(await functions.invoke(ref(syntax), {})).toMatchObject({
        ok: false,
        errorType: 'Runtime.UserCodeSyntaxError',
        errorMessage: expect.stringContaining(path.join(root, 'Syntax', 'index.js')),
      });
    });

    it('times out an invocation, then starts the next one in a new environment', async () => {
      const fn = bundled(
        'Slow',
        `
        let invocations = 0;
        exports.handler = async (event) => {
          invocations += 1;
          if (event.wait === 'forever') await new Promise(() => undefined);
          if (event.wait === 'busy') for (;;);
          return invocations;
        };`,
        { timeoutSeconds: 1 },
      );
      const functions = await host([fn]);

      expect(await functions.invoke(ref(fn), {})).toEqual({ ok: true, payload: 1 });
      expect(await functions.invoke(ref(fn), {})).toEqual({ ok: true, payload: 2 });
      expect(await functions.invoke(ref(fn), { wait: 'forever' })).toEqual({
        ok: false,
        errorType: 'Sandbox.Timedout',
        errorMessage: 'Task timed out after 1 seconds',
        timedOut: true,
      });
      expect(await functions.invoke(ref(fn), {})).toEqual({ ok: true, payload: 1 });
      // A handler that never yields the thread is stopped too.
      expect(await functions.invoke(ref(fn), { wait: 'busy' })).toMatchObject({ timedOut: true });
      expect(await functions.invoke(ref(fn), {})).toEqual({ ok: true, payload: 1 });
      expect(logOf(fn)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ERROR [0-9a-f-]{36} Task timed out after 1 seconds$/),
        ]),
      );
    });

    it('fails the invocations of an environment that crashes, and replaces it', async () => {
      const fn = bundled(
        'Crasher',
        `
        let invocations = 0;
        exports.handler = async (event) => {
          invocations += 1;
          if (event.crash === 'exit') process.exit(3);
          if (event.crash === 'uncaught') setTimeout(() => { throw new RangeError('out of range'); });
          if (event.crash) await new Promise(() => undefined);
          return invocations;
        };`,
      );
      const functions = await host([fn]);

      expect(await functions.invoke(ref(fn), {})).toEqual({ ok: true, payload: 1 });
      expect(await functions.invoke(ref(fn), { crash: 'exit' })).toEqual({
        ok: false,
        errorType: 'Runtime.ExitError',
        errorMessage: 'Runtime exited with error: exit status 3',
      });
      expect(await functions.invoke(ref(fn), {})).toEqual({ ok: true, payload: 1 });
      expect(await functions.invoke(ref(fn), { crash: 'uncaught' })).toEqual({
        ok: false,
        errorType: 'RangeError',
        errorMessage: 'out of range',
      });
      expect(await functions.invoke(ref(fn), {})).toEqual({ ok: true, payload: 1 });
    });

    it('fails the invocation of a module that ends the process as it loads', async () => {
      const fn = bundled('ExitsAtLoad', 'process.exit(2);');
      const functions = await host([fn]);

      expect(await functions.invoke(ref(fn), {})).toEqual({
        ok: false,
        errorType: 'Runtime.ExitError',
        errorMessage: 'Runtime exited with error: exit status 2',
      });
      expect(logOf(fn)).toContain(
        'ERROR Runtime exited with status 2: the execution environment is replaced',
      );
    });

    it('prints stack traces that point at the sources, through the bundle’s source map', async () => {
      const sources = path.join(root, 'mapped-sources');
      fs.mkdirSync(sources, { recursive: true });
      fs.writeFileSync(
        path.join(sources, 'place-order.ts'),
        [
          'export function placeOrder(quantity: number): number {',
          '  if (quantity < 1) throw new RangeError(`quantity must be at least 1: received ${quantity}`);',
          '  return quantity;',
          '}',
        ].join('\n'),
      );
      fs.writeFileSync(
        path.join(sources, 'handler.ts'),
        [
          "import { placeOrder } from './place-order';",
          'export const handler = async (event: { quantity: number }) => placeOrder(event.quantity);',
        ].join('\n'),
      );
      const directory = path.join(root, 'mapped-bundle');
      // Bundled as the platform's functions are (infra/constructs/platform-function.ts).
      buildSync({
        entryPoints: [path.join(sources, 'handler.ts')],
        outfile: path.join(directory, 'index.js'),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        minify: true,
        sourcemap: true,
        sourcesContent: false,
        logLevel: 'silent',
      });
      const fn = { ...bundled('Mapped', ''), code: { kind: 'asset' as const, directory } };
      const functions = await host([fn]);

      const result = await functions.invoke(ref(fn), { quantity: 0 });

      expect(result).toEqual({
        ok: false,
        errorType: 'RangeError',
        errorMessage: 'quantity must be at least 1: received 0',
      });
      expect(logOf(fn)).toEqual(expect.arrayContaining([expect.stringMatching(/place-order\.ts:2:\d+/)]));
    });
  });
});
