import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PrivateBucket } from './private-bucket';

export interface WebsiteProps {
  /** Bucket that receives the website bucket's and the distribution's access logs. */
  readonly accessLogBucket: s3.IBucket;
  /** What happens to the website bucket when its stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * A custom domain with its ACM certificate (us-east-1).
   * @default - the distribution's own cloudfront.net domain
   */
  readonly domain?: { readonly domainName: string; readonly certificateArn: string };
}

/**
 * The storefront's hosting: a private bucket served only through CloudFront (origin access
 * control), HTTPS only, security headers on every response, and single-page-app routing, with
 * standard logs in the access-log bucket.
 */
export class Website extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  /** `https://` URL of the site. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: WebsiteProps) {
    super(scope, id);
    const region = Stack.of(this).region;

    this.bucket = new PrivateBucket(this, 'Bucket', {
      removalPolicy: props.removalPolicy,
      serverAccessLogs: { bucket: props.accessLogBucket, prefix: 's3/website/' },
    });

    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Storefront security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "img-src 'self' data:",
            "style-src 'self'",
            "script-src 'self'",
            `connect-src 'self' https://*.execute-api.${region}.amazonaws.com https://cognito-idp.${region}.amazonaws.com`,
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()', override: true },
        ],
      },
    });

    const spaRouting = new cloudfront.Function(this, 'SpaRouting', {
      comment: 'Serves index.html for app routes (paths without a file extension)',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(SPA_ROUTING_CODE),
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Storefront',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
        functionAssociations: [
          { function: spaRouting, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // A security policy can be chosen only with a certificate of one's own.
      ...(props.domain && {
        domainNames: [props.domain.domainName],
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
      enableLogging: true,
      logBucket: props.accessLogBucket,
      logFilePrefix: 'cloudfront/',
    });
    this.url = `https://${props.domain?.domainName ?? this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The shop sells worldwide: no geographic restriction on static storefront assets.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves public static files only; the web ACL with rate limiting protects the API, ' +
          'where requests cost money and touch data.',
      },
    );
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose security ' +
          'policy cannot be chosen. Set website.domainName and website.certificateArn to enforce TLSv1.2_2021.',
      });
    }
  }
}

/**
 * CloudFront Function (viewer request): a path whose last segment has no file extension is an
 * app route, answered with index.html; files (with an extension) pass through, so a missing
 * asset is an honest error instead of a page.
 */
export const SPA_ROUTING_CODE = `function handler(event) {
  var request = event.request;
  var lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}`;
