import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The function name cognito-local is told to invoke for its PreSignUp trigger. */
export const AUTO_CONFIRM_FUNCTION_NAME = 'local-auto-confirm-sign-up';

/**
 * A PreSignUp trigger, served over the Lambda Invoke API, that confirms every sign-up and verifies
 * its email: locally there is no mailbox to read the confirmation code from.
 */
export interface AutoConfirmTrigger {
  /** Where cognito-local's Lambda client sends `POST /2015-03-31/functions/<name>/invocations`. */
  readonly endpoint: string;
  readonly functionName: string;
  stop(): Promise<void>;
}

interface TriggerEvent {
  readonly triggerSource?: string;
  readonly request?: { readonly userAttributes?: Record<string, string> };
  readonly response?: Record<string, unknown>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Starts the trigger on a free port of 127.0.0.1. */
export async function startAutoConfirmTrigger(): Promise<AutoConfirmTrigger> {
  const server = http.createServer((request, response) => {
    const functionName = INVOKE_PATH.exec(request.url ?? '')?.[1];
    if (request.method !== 'POST' || decodeURIComponent(functionName ?? '') !== AUTO_CONFIRM_FUNCTION_NAME) {
      return sendError(response, 404, 'ResourceNotFoundException', `No function at ${request.url}`);
    }
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      let event: TriggerEvent;
      try {
        event = JSON.parse(body) as TriggerEvent;
      } catch {
        return sendError(response, 400, 'InvalidRequestContentException', 'The payload is not JSON');
      }
      response.writeHead(200, { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' });
      response.end(JSON.stringify(autoConfirm(event)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    functionName: AUTO_CONFIRM_FUNCTION_NAME,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The PreSignUp answer: confirmed, with the email (when there is one) verified. Other events pass through. */
export function autoConfirm(event: TriggerEvent): TriggerEvent {
  if (!event.triggerSource?.startsWith('PreSignUp_')) return event;
  return {
    ...event,
    response: {
      ...event.response,
      autoConfirmUser: true,
      autoVerifyEmail: Boolean(event.request?.userAttributes?.email),
    },
  };
}

function sendError(response: http.ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'X-Amzn-ErrorType': type });
  response.end(JSON.stringify({ Type: 'User', message }));
}
