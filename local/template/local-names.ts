/** What a resource is locally: its `Ref` and its `Fn::GetAtt` attributes. */
export interface LocalValues {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** Gives the local values of a resource of the stage. */
export type LocalNames = (stackName: string, logicalId: string, resourceType: string) => LocalValues;

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';

export interface DefaultLocalNamesOptions {
  /**
   * Put before each local name.
   * @default 'dev'
   */
  readonly prefix?: string;
  /**
   * Values that replace the derived ones, by logical id (such as the stream ARN the emulator
   * reports for a table); attributes are merged over the derived attributes.
   * @default no override
   */
  readonly overrides?: Readonly<
    Record<string, { readonly ref?: string; readonly attributes?: Record<string, string> }>
  >;
}

/**
 * Stable local names derived from logical ids (`OrdersTable315BB997` -> `dev-OrdersTable`), with
 * fake ARNs and the attributes the templates read. Two resources that would share a name are
 * reported rather than silently merged.
 */
export function defaultLocalNames(options: DefaultLocalNamesOptions = {}): LocalNames {
  const prefix = options.prefix ?? 'dev';
  const owners = new Map<string, string>();
  return (stackName, logicalId, resourceType) => {
    const name = `${prefix}-${withoutHashSuffix(logicalId)}`;
    const owner = `${stackName}/${logicalId}`;
    const previousOwner = owners.get(name);
    if (previousOwner && previousOwner !== owner) {
      throw new Error(
        `${owner} and ${previousOwner} would both be named ${name} locally: give one an override`,
      );
    }
    owners.set(name, owner);
    const derived = derivedValues(name, resourceType);
    const override = options.overrides?.[logicalId];
    return {
      ref: override?.ref ?? derived.ref,
      attributes: { ...derived.attributes, ...override?.attributes },
    };
  };
}

/** CDK appends an 8-character hash to logical ids; the rest is the construct path, readable. */
function withoutHashSuffix(logicalId: string): string {
  const readable = logicalId.replace(/[0-9A-F]{8}$/, '');
  return readable.length > 0 ? readable : logicalId;
}

function derivedValues(name: string, resourceType: string): LocalValues {
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${resource}`;
  switch (resourceType) {
    case 'AWS::DynamoDB::Table':
      return {
        ref: name,
        attributes: {
          Arn: arn('dynamodb', `table/${name}`),
          StreamArn: arn('dynamodb', `table/${name}/stream/1970-01-01T00:00:00.000`),
        },
      };
    case 'AWS::Kinesis::Stream':
      return { ref: name, attributes: { Arn: arn('kinesis', `stream/${name}`) } };
    case 'AWS::S3::Bucket': {
      const bucket = name.toLowerCase();
      return {
        ref: bucket,
        attributes: {
          Arn: `arn:aws:s3:::${bucket}`,
          DomainName: `${bucket}.s3.amazonaws.com`,
          RegionalDomainName: `${bucket}.s3.${LOCAL_REGION}.amazonaws.com`,
          WebsiteURL: `http://${bucket}.s3-website-${LOCAL_REGION}.amazonaws.com`,
        },
      };
    }
    case 'AWS::SQS::Queue': {
      const url = `https://sqs.${LOCAL_REGION}.amazonaws.com/${LOCAL_ACCOUNT_ID}/${name}`;
      return { ref: url, attributes: { Arn: arn('sqs', name), QueueName: name, QueueUrl: url } };
    }
    case 'AWS::Lambda::Function':
      return { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
    case 'AWS::OpenSearchService::Domain': {
      const domainArn = arn('es', `domain/${name.toLowerCase()}`);
      return {
        ref: name,
        attributes: {
          Arn: domainArn,
          DomainArn: domainArn,
          DomainEndpoint: `${name.toLowerCase()}.${LOCAL_REGION}.es.amazonaws.com`,
        },
      };
    }
    case 'AWS::CloudFront::Distribution':
      return { ref: name, attributes: { DomainName: `${name.toLowerCase()}.cloudfront.net`, Id: name } };
    case 'AWS::Cognito::UserPool': {
      const poolId = `${LOCAL_REGION}_${name.replace(/[^A-Za-z0-9]/g, '')}`;
      return {
        ref: poolId,
        attributes: {
          Arn: arn('cognito-idp', `userpool/${poolId}`),
          ProviderName: `cognito-idp.${LOCAL_REGION}.amazonaws.com/${poolId}`,
          ProviderURL: `https://cognito-idp.${LOCAL_REGION}.amazonaws.com/${poolId}`,
          UserPoolId: poolId,
        },
      };
    }
    case 'AWS::Personalize::EventTracker':
      return {
        ref: name,
        attributes: { EventTrackerArn: arn('personalize', `event-tracker/${name}`), TrackingId: name },
      };
    case 'AWS::Personalize::DatasetGroup':
      return {
        ref: name,
        attributes: { DatasetGroupArn: arn('personalize', `dataset-group/${name}`) },
      };
    default:
      return { ref: name, attributes: { Arn: genericArn(resourceType, name) } };
  }
}

/** `AWS::KinesisFirehose::DeliveryStream` -> `arn:aws:kinesisfirehose:...:deliverystream/<name>`. */
function genericArn(resourceType: string, name: string): string {
  const [, service = 'unknown', kind = 'resource'] = resourceType.split('::');
  return `arn:aws:${service.toLowerCase()}:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${kind.toLowerCase()}/${name}`;
}
