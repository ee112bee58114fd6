'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry, loaded by Node as it is */
/**
 * One Lambda execution environment, in a worker thread started by function-host.ts.
 *
 * It loads the function's handler at start (the cold start) and says whether that worked; then it
 * runs every invocation the host posts, concurrently, and posts back each result. Events arrive and
 * payloads leave as JSON text, as in Lambda. Errors, with their stacks, go back to the host, which
 * logs them: whatever this thread writes to its stdout may be lost when the host terminates it.
 *
 * Plain CommonJS on purpose: a worker's entry file is loaded by Node itself, without the TypeScript
 * transform of jest or tsx.
 */
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const fs = require('node:fs');
const { pathToFileURL } = require('node:url');
const { parentPort, workerData } = require('node:worker_threads');

// Stack traces point at the sources, through the `index.js.map` beside the bundle.
process.setSourceMapsEnabled(true);

/** @type {{ handler: string; taskRoot: string; context: Record<string, string> }} */
const { handler: handlerSetting, taskRoot, context: contextFields } = workerData;

const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs'];

class LambdaRuntimeError extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

/** The handler named by a setting such as `index.handler` or `src/app.api.handler`, as Lambda reads it. */
async function loadHandler() {
  const handlerName = path.basename(handlerSetting);
  const moduleRoot = handlerSetting.slice(0, handlerSetting.length - handlerName.length);
  const match = /^([^.]*)\.(.*)$/.exec(handlerName);
  if (!match) throw new LambdaRuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handlerSetting}`);
  const [, moduleName, functionPath] = match;
  const base = path.resolve(taskRoot, moduleRoot, moduleName);
  const file = MODULE_EXTENSIONS.map((extension) => base + extension).find((f) => fs.existsSync(f));
  if (!file) {
    throw new LambdaRuntimeError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${moduleRoot}${moduleName}' in ${taskRoot} (tried ${MODULE_EXTENSIONS.join(', ')})`,
    );
  }
  let loaded;
  try {
    loaded = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : require(file);
  } catch (error) {
    if (isParseError(error)) throw renamed(error, 'Runtime.UserCodeSyntaxError');
    if (error && error.code === 'MODULE_NOT_FOUND') throw renamed(error, 'Runtime.ImportModuleError');
    throw error;
  }
  const handler = functionPath
    .split('.')
    .reduce((value, key) => (value == null ? value : value[key]), loaded);
  if (handler === undefined || handler === null) {
    throw new LambdaRuntimeError('Runtime.HandlerNotFound', `${handlerName} is undefined or not exported`);
  }
  if (typeof handler !== 'function') {
    throw new LambdaRuntimeError('Runtime.HandlerNotFound', `${handlerName} is not a function`);
  }
  return handler;
}

/** A syntax error in the code itself (its stack starts with the place), not one thrown by JSON.parse. */
function isParseError(error) {
  return error instanceof SyntaxError && /:\d+$/.test(String(error.stack).split('\n')[0]);
}

/** The error with Lambda's error type as its name; a syntax error says where it is. */
function renamed(error, name) {
  const place = isParseError(error) ? ` (${String(error.stack).split('\n')[0]})` : '';
  const result = new LambdaRuntimeError(name, `${error.name}: ${error.message}${place}`);
  result.stack = error.stack;
  return result;
}

/** What the host reports and logs of a thrown value. */
function describe(error) {
  if (error instanceof Error || (error && typeof error === 'object' && 'message' in error)) {
    return {
      errorType: String(error.name || 'Error'),
      errorMessage: String(error.message),
      stack: typeof error.stack === 'string' ? error.stack : undefined,
    };
  }
  return { errorType: 'Error', errorMessage: String(error), stack: undefined };
}

function lambdaContext(requestId, deadlineMs, callbacks) {
  return {
    ...contextFields,
    awsRequestId: requestId,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    // The callbacks of the first Node.js runtimes, still read by some libraries.
    done: (error, result) => (error ? callbacks.reject(error) : callbacks.resolve(result)),
    succeed: (result) => callbacks.resolve(result),
    fail: (error) => callbacks.reject(error),
  };
}

/** Calls an async handler, or one that takes a callback (a third parameter). */
function run(handler, event, requestId, deadlineMs) {
  return new Promise((resolve, reject) => {
    const context = lambdaContext(requestId, deadlineMs, { resolve, reject });
    const callback = (error, result) => (error ? reject(error) : resolve(result));
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });
}

/**
 * The X-Ray trace header Lambda sets for each invocation, here never sampled: tracing libraries
 * find the context they expect, and send nothing.
 */
function traceHeader() {
  const epochSeconds = Math.floor(Date.now() / 1000).toString(16);
  const root = `1-${epochSeconds}-${randomBytes(12).toString('hex')}`;
  return `Root=${root};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

async function invoke(handler, { id, requestId, event, deadlineMs }) {
  process.env._X_AMZN_TRACE_ID = traceHeader();
  try {
    const result = await run(handler, JSON.parse(event), requestId, deadlineMs);
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result) ?? 'null';
    } catch (error) {
      throw new LambdaRuntimeError(
        'Runtime.MarshalError',
        `Unable to stringify response body: ${error.message}`,
      );
    }
    parentPort.postMessage({ type: 'result', id, ok: true, payload });
  } catch (error) {
    parentPort.postMessage({ type: 'result', id, ok: false, ...describe(error) });
  }
}

async function main() {
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    parentPort.postMessage({ type: 'init-error', ...describe(error) });
    return;
  }
  parentPort.on('message', (message) => {
    if (message.type === 'invoke') invoke(handler, message);
  });
  parentPort.postMessage({ type: 'ready' });
}

main();
