import { environmentVariableNames, serverlessFunction, serverlessFunctions } from '../../local/template/functions';
import { isIntrinsic, mergeGlobalValue } from '../../local/template/globals';
import { loadTemplate, parseTemplate } from '../../local/template/load';
import { resourcesOfType } from '../../local/template/queries';

// SAM's rules: samtranslator/plugins/globals/globals.py (GlobalProperties) and docs/globals.rst in
// aws/serverless-application-model; the examples below are the ones those documents give.
describe('Globals merge (SAM GlobalProperties._do_merge)', () => {
  it('a primitive of the resource replaces the Globals value', () => {
    expect(mergeGlobalValue('nodejs4.3', 'python3.6')).toBe('python3.6');
    expect(mergeGlobalValue(180, 3)).toBe(3);
    expect(mergeGlobalValue(true, false)).toBe(false);
  });

  it('maps are merged, the resource entry winning for a key both have', () => {
    expect(
      mergeGlobalValue(
        { Variables: { STAGE: 'Production', TABLE_NAME: 'global-table' } },
        { Variables: { TABLE_NAME: 'resource-table', NEW_VAR: 'hello' } },
      ),
    ).toEqual({ Variables: { STAGE: 'Production', TABLE_NAME: 'resource-table', NEW_VAR: 'hello' } });
  });

  it('maps are merged recursively: an optional property skipped by the resource keeps its Globals value', () => {
    expect(mergeGlobalValue({ Enabled: false, Type: 'Canary' }, { Type: 'Linear' })).toEqual({
      Enabled: false,
      Type: 'Linear',
    });
  });

  it('lists are concatenated, Globals first, duplicates kept', () => {
    expect(mergeGlobalValue({ SecurityGroupIds: ['sg-123', 'sg-456'] }, { SecurityGroupIds: ['sg-first'] })).toEqual({
      SecurityGroupIds: ['sg-123', 'sg-456', 'sg-first'],
    });
    expect(mergeGlobalValue(['Policy1', 'Policy2'], ['Policy1', 'Policy3'])).toEqual([
      'Policy1',
      'Policy2',
      'Policy1',
      'Policy3',
    ]);
  });

  it('different kinds on the two sides: the resource value is used as it is', () => {
    expect(mergeGlobalValue('s3://bucket/key', { Bucket: 'foo', Key: 'bar' })).toEqual({ Bucket: 'foo', Key: 'bar' });
    expect(mergeGlobalValue(['a'], { b: 1 })).toEqual({ b: 1 });
    expect(mergeGlobalValue({ a: 1 }, ['b'])).toEqual(['b']);
  });

  it('an intrinsic function is a primitive: never merged with a map, whichever side it is on', () => {
    const conditional = { 'Fn::If': ['IsProd', { Variables: { A: 'prod' } }, { Ref: 'AWS::NoValue' }] };
    expect(mergeGlobalValue({ Variables: { G: 'global' } }, conditional)).toBe(conditional);
    expect(mergeGlobalValue(conditional, { Variables: { L: 'local' } })).toEqual({ Variables: { L: 'local' } });
    expect(
      mergeGlobalValue(
        { Variables: { TABLE: { Ref: 'GlobalTable' } } },
        { Variables: { TABLE: { Ref: 'LocalTable' } } },
      ),
    ).toEqual({
      Variables: { TABLE: { Ref: 'LocalTable' } },
    });
  });

  it('recognises intrinsics as SAM does: one key, Ref, Condition or Fn::*', () => {
    expect(isIntrinsic({ Ref: 'X' })).toBe(true);
    expect(isIntrinsic({ Condition: 'IsProd' })).toBe(true);
    expect(isIntrinsic({ 'Fn::GetAtt': ['X', 'Arn'] })).toBe(true);
    expect(isIntrinsic({ Ref: 'X', Other: 1 })).toBe(false);
    expect(isIntrinsic({ Variables: {} })).toBe(false);
    expect(isIntrinsic(['Ref'])).toBe(false);
    expect(isIntrinsic('Ref')).toBe(false);
  });
});

describe('serverlessFunctions: every AWS::Serverless::Function with Globals.Function applied', () => {
  const template = parseTemplate(`
Globals:
  Function:
    Runtime: nodejs24.x
    Timeout: 10
    Architectures: [arm64]
    Layers: [!Ref CommonLayer]
    Environment:
      Variables:
        SERVICE: workflows
        LEVEL: INFO
Resources:
  CommonLayer:
    Type: AWS::Serverless::LayerVersion
    Properties: { ContentUri: layer }
  Plain:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
  Overriding:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Timeout: 3
      Layers: [!Ref OtherLayer]
      Environment:
        Variables:
          LEVEL: DEBUG
          TABLE: !Ref Table
  Unconditional:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Environment: !If [IsProd, { Variables: { ONLY: prod } }, !Ref AWS::NoValue]
  IgnoresAll:
    Type: AWS::Serverless::Function
    IgnoreGlobals: '*'
    Properties:
      Handler: app.handler
  IgnoresSome:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [Layers, Environment]
    Properties:
      Handler: app.handler
  Table:
    Type: AWS::DynamoDB::Table
`);
  const byId = Object.fromEntries(serverlessFunctions(template).map((fn) => [fn.logicalId, fn]));

  it('lists only the functions, in template order, with the resource as written', () => {
    expect(Object.keys(byId)).toEqual(['Plain', 'Overriding', 'Unconditional', 'IgnoresAll', 'IgnoresSome']);
    expect(byId.IgnoresAll.resource).toBe(template.Resources.IgnoresAll);
  });

  it('a function without the property inherits it from Globals', () => {
    expect(byId.Plain.properties).toEqual({
      Handler: 'app.handler',
      Runtime: 'nodejs24.x',
      Timeout: 10,
      Architectures: ['arm64'],
      Layers: [{ Ref: 'CommonLayer' }],
      Environment: { Variables: { SERVICE: 'workflows', LEVEL: 'INFO' } },
    });
  });

  it('scalars: the function wins; Environment.Variables: merged; Layers: Globals first, then the function', () => {
    expect(byId.Overriding.properties).toMatchObject({
      Timeout: 3,
      Runtime: 'nodejs24.x',
      Layers: [{ Ref: 'CommonLayer' }, { Ref: 'OtherLayer' }],
      Environment: { Variables: { SERVICE: 'workflows', LEVEL: 'DEBUG', TABLE: { Ref: 'Table' } } },
    });
    expect(environmentVariableNames(byId.Overriding)).toEqual(['SERVICE', 'LEVEL', 'TABLE']);
  });

  it('an Environment given as an intrinsic replaces Globals.Environment', () => {
    expect(byId.Unconditional.properties.Environment).toEqual({
      'Fn::If': ['IsProd', { Variables: { ONLY: 'prod' } }, { Ref: 'AWS::NoValue' }],
    });
    expect(environmentVariableNames(byId.Unconditional)).toEqual([]);
  });

  it('IgnoreGlobals: "*" takes nothing from Globals, a list leaves out the properties it names', () => {
    expect(byId.IgnoresAll.properties).toEqual({ Handler: 'app.handler' });
    expect(byId.IgnoresSome.properties).toEqual({
      Handler: 'app.handler',
      Runtime: 'nodejs24.x',
      Timeout: 10,
      Architectures: ['arm64'],
    });
  });

  it('does not change the template', () => {
    expect(template.Resources.Overriding.Properties!.Environment).toEqual({
      Variables: { LEVEL: 'DEBUG', TABLE: { Ref: 'Table' } },
    });
    expect(template.Globals!.Function.Layers).toEqual([{ Ref: 'CommonLayer' }]);
  });

  it('serverlessFunction finds one by logical id, and nothing for another type or an unknown id', () => {
    expect(serverlessFunction(template, 'Overriding')?.properties.Timeout).toBe(3);
    expect(serverlessFunction(template, 'Table')).toBeUndefined();
    expect(serverlessFunction(template, 'Missing')).toBeUndefined();
    expect(serverlessFunction(template, 'constructor')).toBeUndefined();
  });

  it('a template without Globals gives each function its own Properties', () => {
    const bare = parseTemplate(
      'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: a.b }\n',
    );
    expect(serverlessFunctions(bare).map((fn) => fn.properties)).toEqual([{ Handler: 'a.b' }]);
  });

  it("template.yaml's functions all get Globals' runtime, tracing and Powertools variables", () => {
    const functions = serverlessFunctions(loadTemplate());
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.properties).toMatchObject({ Runtime: 'nodejs24.x', Tracing: 'Active', Architectures: ['arm64'] });
      expect(environmentVariableNames(fn)).toEqual(
        expect.arrayContaining(['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE']),
      );
    }
  });
});

describe('resourcesOfType', () => {
  it('finds the resources of any of the given types, in template order', () => {
    const template = parseTemplate(`
Resources:
  A: { Type: AWS::DynamoDB::Table }
  B: { Type: AWS::Serverless::SimpleTable }
  C: { Type: AWS::Serverless::Function }
  D: { Type: AWS::DynamoDB::Table }
`);
    expect(resourcesOfType(template, 'AWS::DynamoDB::Table').map((r) => r.logicalId)).toEqual(['A', 'D']);
    expect(
      resourcesOfType(template, 'AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable').map((r) => r.logicalId),
    ).toEqual(['A', 'B', 'D']);
    expect(resourcesOfType(template, 'Custom::Nothing')).toEqual([]);
  });
});
