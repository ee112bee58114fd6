import { IntrinsicResolver } from './intrinsics';
import { defaultLocalNames } from './local-names';
import { StageTemplates } from './stage-templates';

const stage = new StageTemplates({
  'dev-Stateful': {
    Resources: {
      OrdersTable315BB997: { Type: 'AWS::DynamoDB::Table' },
      EventsStream1A2B3C4D: { Type: 'AWS::Kinesis::Stream' },
    },
    Outputs: {
      OrdersStreamArn: { Value: { 'Fn::GetAtt': ['OrdersTable315BB997', 'StreamArn'] } },
      OrdersTableName: {
        Value: { Ref: 'OrdersTable315BB997' },
        Export: { Name: { 'Fn::Sub': '${AWS::StackName}-OrdersTableName' } },
      },
    },
  },
  'dev-Api': {
    Parameters: { Stage: { Type: 'String', Default: 'dev' } },
    Conditions: { IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] } },
    Resources: { Handler: { Type: 'AWS::Lambda::Function' } },
  },
});
const streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/dev-OrdersTable/stream/2024';
const resolver = new IntrinsicResolver(
  stage,
  defaultLocalNames({ overrides: { OrdersTable315BB997: { attributes: { StreamArn: streamArn } } } }),
);
const resolve = (value: unknown, stackName = 'dev-Api') => resolver.resolve(stackName, value, 'test value');

describe('IntrinsicResolver', () => {
  it('resolves Ref of a resource to its local name, without the logical id hash', () => {
    expect(resolve({ Ref: 'OrdersTable315BB997' }, 'dev-Stateful')).toBe('dev-OrdersTable');
  });

  it('resolves Ref of a parameter to its default and of a pseudo parameter to the local value', () => {
    expect(resolve([{ Ref: 'Stage' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }])).toEqual([
      'dev',
      'us-east-1',
      '000000000000',
    ]);
  });

  it('resolves Fn::GetAtt in both forms, with overrides taking precedence over derived attributes', () => {
    expect(resolve({ 'Fn::GetAtt': ['OrdersTable315BB997', 'Arn'] }, 'dev-Stateful')).toBe(
      'arn:aws:dynamodb:us-east-1:000000000000:table/dev-OrdersTable',
    );
    expect(resolve({ 'Fn::GetAtt': 'OrdersTable315BB997.StreamArn' }, 'dev-Stateful')).toBe(streamArn);
  });

  it('resolves Fn::Join, Fn::Select and Fn::Split', () => {
    expect(resolve({ 'Fn::Join': ['/', ['a', { Ref: 'Stage' }]] })).toBe('a/dev');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': [':', 'x:y:z'] }] })).toBe('y');
  });

  it('resolves Fn::Sub with pseudo parameters, resource attributes, its own variables and escapes', () => {
    const text = 'arn:${AWS::Partition}:${AWS::Region}:${AWS::URLSuffix}:${Handler.Arn}:${Name}:${!Literal}';
    expect(resolve({ 'Fn::Sub': [text, { Name: { Ref: 'Handler' } }] })).toBe(
      'arn:aws:us-east-1:amazonaws.com:arn:aws:lambda:us-east-1:000000000000:function:dev-Handler:dev-Handler:${Literal}',
    );
    expect(resolve({ 'Fn::Sub': '${Handler}-${AWS::AccountId}' })).toBe('dev-Handler-000000000000');
  });

  it('resolves Fn::GetStackOutput by resolving the output value in the stack that declares it', () => {
    const value = { 'Fn::GetStackOutput': { StackName: 'dev-Stateful', OutputName: 'OrdersStreamArn' } };
    expect(resolve(value)).toBe(streamArn);
    expect(resolver.reference('dev-Api', value, 'test value')).toEqual({
      stackName: 'dev-Stateful',
      logicalId: 'OrdersTable315BB997',
      type: 'AWS::DynamoDB::Table',
      attribute: 'StreamArn',
    });
  });

  it('resolves Fn::ImportValue by the resolved export name', () => {
    expect(resolve({ 'Fn::ImportValue': 'dev-Stateful-OrdersTableName' })).toBe('dev-OrdersTable');
  });

  it('resolves Fn::If from the template conditions and drops AWS::NoValue', () => {
    expect(resolve({ A: { 'Fn::If': ['IsDev', 'yes', 'no'] }, B: { Ref: 'AWS::NoValue' } })).toEqual({
      A: 'yes',
    });
  });

  it('names the place of an unsupported intrinsic or a missing attribute in its error', () => {
    expect(() => resolver.resolve('dev-Api', { 'Fn::Base64': 'x' }, 'dev-Api/Handler Code.ZipFile')).toThrow(
      'dev-Api/Handler Code.ZipFile: Fn::Base64 is not supported by the local platform',
    );
    expect(() => resolve({ 'Fn::GetAtt': ['Handler', 'SnapStartResponse'] })).toThrow(
      /no local value for Handler.SnapStartResponse in dev-Api \(known: Arn\)/,
    );
  });
});

describe('defaultLocalNames', () => {
  it('refuses to give two resources the same local name', () => {
    const names = defaultLocalNames();
    names('dev-Stateful', 'OrdersTable315BB997', 'AWS::DynamoDB::Table');
    expect(() => names('dev-Api', 'OrdersTableAAAAAAAA', 'AWS::DynamoDB::Table')).toThrow(
      'dev-Api/OrdersTableAAAAAAAA and dev-Stateful/OrdersTable315BB997 would both be named dev-OrdersTable',
    );
  });
});
