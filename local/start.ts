/**
 * `npm start`: the dev stage on this machine (see local/README.md). `npm start -- --fresh` wipes
 * the data kept under `.local/` first; `PORT=<port> npm start` serves on another port.
 */
import * as path from 'node:path';
import { PROJECT_ROOT, startLocalPlatform, type LocalPlatform } from './platform/local-platform';

async function main(): Promise<void> {
  const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, received "${process.env.PORT}"`);
  }
  const starting = startLocalPlatform({ port, fresh: process.argv.includes('--fresh') });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local platform...`);
    // A signal during start-up stops the platform once it is up (a failed start stops itself).
    void starting
      .then((platform: LocalPlatform) => platform.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const platform = await starting;
  if (stopping) return;
  const { url, endpoints, demoUsers, startupMs } = platform;
  const relative = (file: string) => path.relative(process.cwd(), path.join(PROJECT_ROOT, file));
  console.log(
    [
      '',
      `The dev stage is running locally (ready in ${(startupMs / 1000).toFixed(1)} s).`,
      '',
      `  Storefront   ${url}/`,
      `  Shop API     ${endpoints.api}      (try: curl ${endpoints.api}products)`,
      `  Site config  ${url}/config.json`,
      `  Endpoints    ${relative('.local/endpoints.json')}  (every emulator and resource name, for the AWS CLI or an SDK)`,
      '',
      '  Demo users (local only):',
      ...demoUsers.map(
        (user) =>
          `    ${user.email.padEnd(22)} ${user.password}${user.groups.length ? `   groups: ${user.groups.join(', ')}` : ''}`,
      ),
      '',
      '  Routes (CORS preflights left out):',
      ...endpoints.resources.routes
        .filter((route) => route.method !== 'OPTIONS')
        .map(
          (route) =>
            `    ${route.method.padEnd(7)} ${route.path}${route.authorization === 'NONE' ? '' : `   (${route.authorization})`}`,
        ),
      '',
      'Data is kept in .local/ across restarts (npm start -- --fresh wipes it). Ctrl-C stops everything.',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(`\nThe local platform could not start: ${(error as Error).message}`);
  process.exit(1);
});
