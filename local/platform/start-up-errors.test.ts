import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalPlatform } from './local-platform';

describe('startLocalPlatform says what is wrong before it starts anything', () => {
  const dataDirectory = path.join(os.tmpdir(), 'local-platform-never-created');

  it('when the port is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const { port } = taken.address() as net.AddressInfo;
    try {
      await expect(startLocalPlatform({ port, dataDirectory, log: () => {} })).rejects.toThrow(
        `Port ${port} is already in use: stop what uses it, or start on another port with PORT=<port> npm start`,
      );
    } finally {
      taken.close();
    }
  });

  it('when Java is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startLocalPlatform({ port: 0, dataDirectory, log: () => {} })).rejects.toThrow(
        /DynamoDB Local needs Java 17 or newer on the PATH/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
