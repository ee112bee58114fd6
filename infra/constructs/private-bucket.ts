import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface PrivateBucketProps {
  /** What happens to the bucket when its stack is deleted; `DESTROY` also empties it first. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Where the bucket's server access logs go. Leave out only for the access-log bucket itself.
   * @default - no server access logs
   */
  readonly serverAccessLogs?: { readonly bucket: s3.IBucket; readonly prefix: string };
  /**
   * Keep every version of every object.
   * @default true
   */
  readonly versioned?: boolean;
  /**
   * Lifecycle rules.
   * @default - noncurrent versions expire after 30 days
   */
  readonly lifecycleRules?: s3.LifecycleRule[];
  /**
   * Object ownership; ACLs stay disabled unless a writer such as CloudFront's standard logging needs them.
   * @default s3.ObjectOwnership.BUCKET_OWNER_ENFORCED
   */
  readonly objectOwnership?: s3.ObjectOwnership;
}

/**
 * An S3 bucket as this platform keeps every bucket: encrypted at rest (SSE-S3), TLS 1.2+ only,
 * all public access blocked, versioned, and logging its accesses to the access-log bucket.
 */
export class PrivateBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id, {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: props.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: props.versioned ?? true,
      lifecycleRules: props.lifecycleRules ?? [{ noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: props.serverAccessLogs?.bucket,
      serverAccessLogsPrefix: props.serverAccessLogs?.prefix,
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });
  }
}
