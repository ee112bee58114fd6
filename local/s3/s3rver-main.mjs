// Runs s3rver through its JavaScript API in this process, for startS3rver (s3rver.ts). Unlike
// s3rver's command line, it also accepts access keys other than S3RVER, so that functions running
// locally can reach it with the same credentials as every other local endpoint.
//   node --openssl-legacy-provider s3rver-main.mjs '{"port":0,"directory":"...","buckets":[],"credentials":[]}'
import process from 'node:process';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account.js';

const options = JSON.parse(process.argv[2] ?? '{}');
for (const { accessKeyId, secretAccessKey } of options.credentials ?? []) {
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
}
new S3rver({
  address: '127.0.0.1',
  port: options.port ?? 0,
  directory: options.directory,
  silent: true,
  configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [] })),
})
  .run()
  .then(({ address, port }) => process.stdout.write(`S3rver listening on ${address}:${port}\n`))
  .catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
