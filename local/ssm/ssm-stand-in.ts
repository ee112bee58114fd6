import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for AWS Systems Manager Parameter Store on 127.0.0.1: the JSON 1.1 protocol
 * (`POST /`, `X-Amz-Target: AmazonSSM.<Operation>`) as the SDK client sends it, for
 * `GetParameter`, `GetParameters`, `PutParameter` and `DeleteParameter`. Unknown names are a 400
 * `ParameterNotFound` (listed in `InvalidParameters` by GetParameters), as SSM answers. Values are
 * kept in memory; `SecureString` values are kept and returned as given (no KMS here).
 */
export interface SsmStandIn {
  readonly endpoint: string;
  /** Every operation called, in order. */
  readonly calls: readonly { readonly operation: string; readonly names: readonly string[] }[];
  /** Creates or replaces a parameter, as `PutParameter` with `Overwrite` would. */
  put(name: string, value: string, type?: ParameterType): void;
  delete(name: string): void;
  /** Answers every call with HTTP 500 `InternalServerError` (`times` calls, or until `clearFaults`). */
  fail(fault?: { readonly times?: number }): void;
  clearFaults(): void;
  /** Forgets the parameters, the calls and the faults. */
  reset(): void;
  stop(): Promise<void>;
}

export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface SsmStandInOptions {
  /** @default a free port */
  readonly port?: number;
  /** @default us-east-1 */
  readonly region?: string;
}

interface StoredParameter {
  readonly value: string;
  readonly type: ParameterType;
  readonly version: number;
  readonly lastModified: number;
}

const ACCOUNT = '000000000000';
const PARAMETER_TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];
/** SSM's limit on one GetParameters call. */
const MAX_NAMES = 10;

class SsmError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startSsmStandIn(options: SsmStandInOptions = {}): Promise<SsmStandIn> {
  const region = options.region ?? 'us-east-1';
  const parameters = new Map<string, StoredParameter>();
  const calls: { operation: string; names: string[] }[] = [];
  let failure: { remaining: number } | undefined;

  const store = (name: string, value: string, type: ParameterType, overwrite: boolean) => {
    const existing = parameters.get(name);
    if (existing && !overwrite) {
      throw new SsmError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const version = (existing?.version ?? 0) + 1;
    parameters.set(name, { value, type, version, lastModified: Date.now() / 1000 });
    return version;
  };

  const view = (name: string, parameter: StoredParameter) => ({
    Name: name,
    Type: parameter.type,
    Value: parameter.value,
    Version: parameter.version,
    LastModifiedDate: parameter.lastModified,
    ARN: `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
    DataType: 'text',
  });

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    GetParameter: (input) => {
      const name = nameOf(input.Name);
      const parameter = parameters.get(name);
      if (!parameter) throw new SsmError('ParameterNotFound', `Parameter ${name} not found.`);
      return { Parameter: view(name, parameter) };
    },
    GetParameters: (input) => {
      const names = input.Names;
      if (!Array.isArray(names) || names.length < 1 || names.length > MAX_NAMES) {
        throw new SsmError('ValidationException', `Names must hold 1 to ${MAX_NAMES} names`);
      }
      const asked = names.map(nameOf);
      return {
        Parameters: asked.flatMap((name) => {
          const parameter = parameters.get(name);
          return parameter ? [view(name, parameter)] : [];
        }),
        InvalidParameters: asked.filter((name) => !parameters.has(name)),
      };
    },
    PutParameter: (input) => {
      const name = nameOf(input.Name);
      if (typeof input.Value !== 'string' || input.Value === '') {
        throw new SsmError('ValidationException', 'Value must be a non-empty string');
      }
      const existingType = parameters.get(name)?.type;
      const type = input.Type ?? existingType ?? 'String';
      if (!PARAMETER_TYPES.includes(type as ParameterType)) {
        throw new SsmError('ValidationException', `Type must be one of ${PARAMETER_TYPES.join(', ')}`);
      }
      const version = store(name, input.Value, type as ParameterType, input.Overwrite === true);
      return { Version: version, Tier: 'Standard' };
    },
    DeleteParameter: (input) => {
      const name = nameOf(input.Name);
      if (!parameters.delete(name)) throw new SsmError('ParameterNotFound', `Parameter ${name} not found.`);
      return {};
    },
  };

  const server = http.createServer((request, response) => {
    void handle(request, response);
  });
  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    let status = 200;
    let body: unknown;
    try {
      const text = await bodyOf(request);
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : '';
      const run = operations[operation];
      if (request.method !== 'POST' || !run) {
        throw new SsmError('UnknownOperationException', `${target || 'no X-Amz-Target'} is not served here`);
      }
      const input = JSON.parse(text || '{}') as Record<string, unknown>;
      calls.push({
        operation,
        names: Array.isArray(input.Names) ? input.Names.map(String) : [String(input.Name)],
      });
      if (failure && failure.remaining > 0) {
        failure.remaining -= 1;
        throw new SsmError('InternalServerError', 'SSM is unavailable (injected fault).', 500);
      }
      body = run(input);
    } catch (error) {
      const failed =
        error instanceof SsmError ? error : new SsmError('ValidationException', (error as Error).message);
      status = failed.status;
      body = { __type: failed.type, message: failed.message };
    }
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(body));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    put: (name, value, type = 'String') => {
      store(name, value, type, true);
    },
    delete: (name) => {
      parameters.delete(name);
    },
    fail: ({ times = Infinity } = {}) => {
      failure = { remaining: times };
    },
    clearFaults: () => {
      failure = undefined;
    },
    reset: () => {
      parameters.clear();
      calls.length = 0;
      failure = undefined;
    },
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function nameOf(value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new SsmError('ValidationException', 'Name is required');
  return value;
}

function bodyOf(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
