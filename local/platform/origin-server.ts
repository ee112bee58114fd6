import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { LocalDistribution, ViewerRequest } from './cloudfront-functions';

export interface OriginServerOptions {
  /** @default 3000 */
  readonly port: number;
  readonly distribution: LocalDistribution;
  readonly websiteBucket: string;
  readonly s3: S3Client;
  /** The API gateway: answers requests under its base path, returns false for any other path. */
  readonly api: (request: http.IncomingMessage, response: http.ServerResponse) => Promise<boolean>;
  /** Values that replace the deployed `config.json`'s (the URLs that differ locally). */
  readonly configOverrides: Readonly<Record<string, string>>;
  readonly log: (line: string) => void;
}

export interface OriginServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Raised when the port is taken, with a message that says what to do. */
export class PortInUseError extends Error {
  constructor(port: number) {
    super(
      `Port ${port} is already in use: stop what uses it, or start on another port with PORT=<port> npm start`,
    );
    this.name = 'PortInUseError';
  }
}

/**
 * The local platform's one HTTP origin: the shop API under `/api/`, and the storefront as CloudFront
 * serves it (the distribution's viewer-request functions, its default root object, objects from
 * the website bucket), with `/config.json` pointing the site at the local API and Cognito.
 */
export async function startOriginServer(options: OriginServerOptions): Promise<OriginServer> {
  const server = http.createServer((request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      options.log(`Origin: ${request.method} ${request.url} failed: ${String(error)}`);
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'Internal server error' }));
      } else {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port) : error),
    );
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  options: OriginServerOptions,
): Promise<void> {
  if (await options.api(request, response)) return;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' });
    response.end();
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  const viewerRequest: ViewerRequest = {
    method: request.method,
    uri: url.pathname,
    querystring: Object.fromEntries([...url.searchParams].map(([name, value]) => [name, { value }])),
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, { value: String(value) }]),
    ),
  };
  const routed = options.distribution.viewerRequest(viewerRequest);
  if (routed.kind === 'response') {
    response.writeHead(routed.statusCode, routed.headers);
    response.end(routed.body);
    return;
  }
  let key = routed.request.uri.replace(/^\//, '');
  if (key === '' && options.distribution.defaultRootObject) key = options.distribution.defaultRootObject;
  const object = await getObject(options, key);
  if (!object) {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end(`Not found: /${key}\n`);
    return;
  }
  let body = object.body;
  if (key === 'config.json') {
    body = Buffer.from(JSON.stringify({ ...JSON.parse(body.toString('utf8')), ...options.configOverrides }));
  }
  response.writeHead(200, {
    'content-type': object.contentType ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': object.cacheControl ?? 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

async function getObject(
  options: OriginServerOptions,
  key: string,
): Promise<{ body: Buffer; contentType?: string; cacheControl?: string } | undefined> {
  try {
    const object = await options.s3.send(new GetObjectCommand({ Bucket: options.websiteBucket, Key: key }));
    return {
      body: Buffer.from((await object.Body?.transformToByteArray()) ?? []),
      ...(object.ContentType && { contentType: object.ContentType }),
      ...(object.CacheControl && { cacheControl: object.CacheControl }),
    };
  } catch (error) {
    if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}
