import { IntrinsicError, IntrinsicResolver } from '../../local/template/intrinsics';
import { parseTemplate } from '../../local/template/load';

const template = parseTemplate(`
Parameters:
  Stage: { Type: String, Default: dev }
  Required: { Type: String }
Mappings:
  Sizes:
    dev: { Memory: 128 }
Conditions:
  IsDev: !Equals [!Ref Stage, dev]
  IsNotDev: !Not [!Condition IsDev]
  Both: !And [!Condition IsDev, !Or [!Equals [a, b], !Equals [!Ref 'AWS::Region', eu-west-1]]]
Resources:
  Table: { Type: AWS::DynamoDB::Table }
  Fn: { Type: AWS::Serverless::Function }
  Machine: { Type: AWS::Serverless::StateMachine }
  Bucket: { Type: AWS::S3::Bucket }
`);

describe('IntrinsicResolver', () => {
  const resolver = new IntrinsicResolver(template, { region: 'eu-west-1', parameterOverrides: { Required: 'given' } });

  it('resolves references to local names and ARNs', () => {
    expect(resolver.resolve({ Ref: 'Table' })).toBe('Table');
    expect(resolver.resolve({ Ref: 'Machine' })).toBe('arn:aws:states:eu-west-1:123456789012:stateMachine:Machine');
    expect(resolver.resolve({ 'Fn::GetAtt': ['Fn', 'Arn'] })).toBe('arn:aws:lambda:eu-west-1:123456789012:function:Fn');
    expect(resolver.resolve({ 'Fn::GetAtt': 'Table.Arn' })).toBe('arn:aws:dynamodb:eu-west-1:123456789012:table/Table');
    expect(resolver.resolve({ 'Fn::GetAtt': ['Machine', 'Name'] })).toBe('Machine');
    expect(resolver.resolve({ Ref: 'Required' })).toBe('given');
    expect(resolver.resolve({ Ref: 'AWS::AccountId' })).toBe('123456789012');
  });

  it('substitutes ${} in Fn::Sub, with its own variables and ${!Literal}', () => {
    expect(resolver.resolve({ 'Fn::Sub': '${AWS::Region}/${Stage}/${Fn.Arn}/${!Keep}' })).toBe(
      'eu-west-1/dev/arn:aws:lambda:eu-west-1:123456789012:function:Fn/${Keep}',
    );
    expect(resolver.resolve({ 'Fn::Sub': ['${Name}-${Table}', { Name: { Ref: 'Stage' } }] })).toBe('dev-Table');
  });

  it('evaluates conditions, Fn::If and AWS::NoValue', () => {
    expect(resolver.condition('IsDev')).toBe(true);
    expect(resolver.condition('IsNotDev')).toBe(false);
    expect(resolver.condition('Both')).toBe(true);
    expect(resolver.resolve({ A: { 'Fn::If': ['IsNotDev', 'x', { Ref: 'AWS::NoValue' }] }, B: 1 })).toEqual({ B: 1 });
    expect(resolver.resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Memory'] })).toBe(128);
  });

  it('names what cannot be resolved locally', () => {
    const withoutOverride = new IntrinsicResolver(template, { region: 'eu-west-1' });
    expect(() => withoutOverride.resolve({ Ref: 'Required' })).toThrow(
      new IntrinsicError('!Ref Required: the parameter has no Default and no local override'),
    );
    expect(() => resolver.resolve({ Ref: 'Nothing' })).toThrow('!Ref Nothing: no parameter or resource has that name');
    expect(() => resolver.resolve({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toThrow(
      'no local ARN for a resource of type AWS::S3::Bucket',
    );
    expect(() => resolver.resolve({ 'Fn::GetAtt': ['Bucket', 'DomainName'] })).toThrow(
      'attribute not available locally',
    );
    expect(() => resolver.condition('Missing')).toThrow('condition Missing is not defined');
  });
});
