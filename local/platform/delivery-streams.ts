import type { S3Destination } from '../firehose/s3-delivery';
import type { IntrinsicResolver } from '../template/intrinsics';
import type { LocalNames } from '../template/local-names';
import type { StageTemplates } from '../template/stage-templates';

interface ExtendedS3Destination {
  BucketARN?: unknown;
  Prefix?: unknown;
  CompressionFormat?: unknown;
  BufferingHints?: { IntervalInSeconds?: unknown; SizeInMBs?: unknown };
}

/**
 * Every `AWS::KinesisFirehose::DeliveryStream` of the stage with its S3 destination (bucket,
 * prefix, compression, buffering hints). Firehose's defaults apply where the template is silent.
 * @throws Error for a delivery stream with another kind of destination, which cannot run locally.
 */
export function deliveryStreamDestinations(
  stage: StageTemplates,
  resolver: IntrinsicResolver,
  names: LocalNames,
): S3Destination[] {
  return stage
    .resourcesOfType('AWS::KinesisFirehose::DeliveryStream')
    .map(({ stackName, logicalId, type, properties }) => {
      const where = `${stackName}/${logicalId}`;
      const raw = properties.ExtendedS3DestinationConfiguration ?? properties.S3DestinationConfiguration;
      if (!raw) {
        throw new Error(`${where}: only delivery streams to S3 run on the local platform`);
      }
      const destination = resolver.resolve(stackName, raw, where) as ExtendedS3Destination;
      const compression = String(destination.CompressionFormat ?? 'UNCOMPRESSED');
      if (compression !== 'UNCOMPRESSED' && compression !== 'GZIP') {
        throw new Error(
          `${where}: compression ${compression} is not supported locally (GZIP or UNCOMPRESSED)`,
        );
      }
      return {
        deliveryStreamName: names(stackName, logicalId, type).ref,
        bucketName: String(destination.BucketARN).replace(/^arn:aws:s3:::/, ''),
        prefix: destination.Prefix === undefined ? '' : String(destination.Prefix),
        compression,
        bufferIntervalSeconds: Number(destination.BufferingHints?.IntervalInSeconds ?? 300),
        bufferSizeMiB: Number(destination.BufferingHints?.SizeInMBs ?? 5),
      };
    });
}
