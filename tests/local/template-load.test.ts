import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTemplate, parseTemplate, TemplateError } from '../../local/template/load';

describe('parseTemplate', () => {
  it('reads short-form intrinsics as CloudFormation long forms', () => {
    const template = parseTemplate(`
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Role.Arn
      Nested: !GetAtt [Api, RootResourceId]
      Table: !Ref Table
      Url: !Sub 'https://\${Api}.execute-api.\${AWS::Region}.amazonaws.com'
      Pick: !If [IsProd, !Select [0, !Split [',', 'a,b']], !Join ['-', [x, !Ref Stage]]]
      Cond: !Equals [!Ref Stage, prod]
`);
    expect(template.Resources.Fn.Properties).toEqual({
      Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
      Nested: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
      Table: { Ref: 'Table' },
      Url: { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com' },
      Pick: {
        'Fn::If': [
          'IsProd',
          { 'Fn::Select': [0, { 'Fn::Split': [',', 'a,b'] }] },
          { 'Fn::Join': ['-', ['x', { Ref: 'Stage' }]] },
        ],
      },
      Cond: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    });
  });

  it('names the problem for text that is not a template', () => {
    expect(() => parseTemplate('a: [', 'bad.yaml')).toThrow(TemplateError);
    expect(() => parseTemplate('- 1', 'list.yaml')).toThrow('list.yaml: a template must be a YAML mapping');
    expect(() => parseTemplate('Parameters: {}', 'empty.yaml')).toThrow(
      'empty.yaml: the template has no Resources mapping',
    );
    expect(() => parseTemplate('Resources: {}\nResources: {}', 'dup.yaml')).toThrow(TemplateError);
  });
});

describe('loadTemplate: YAML anchors and AWS::Include', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'template-load-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    writeFileSync(path.join(folder, file), text);
  };
  const include = (location: string) => `{Name: AWS::Include, Parameters: {Location: ${location}}}`;
  const load = () => loadTemplate(path.join(folder, 'template.yaml'));

  it("resolves aliases and merge keys as SAM CLI does: the mapping's own keys win over the merged ones", () => {
    write(
      'template.yaml',
      `
Resources:
  A:
    Type: AWS::Serverless::Function
    Metadata: {BuildMethod: esbuild, BuildProperties: &esbuild {EntryPoints: [a.ts], Format: esm, Minify: true}}
  B:
    Type: AWS::Serverless::Function
    Metadata: {BuildMethod: esbuild, BuildProperties: {<<: *esbuild, EntryPoints: [b.ts]}}
`,
    );
    expect(load().Resources.B.Metadata).toEqual({
      BuildMethod: 'esbuild',
      BuildProperties: { EntryPoints: ['b.ts'], Format: 'esm', Minify: true },
    });
  });

  it("puts an included file in place of the value that includes it, relative to the template's folder", () => {
    write(
      'template.yaml',
      `
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      DefinitionBody:
        Fn::Transform: ${include('api/openapi.yaml')}
`,
    );
    write(
      'api/openapi.yaml',
      'openapi: 3.0.1\npaths:\n  /x:\n    get:\n      x-uri:\n        Fn::Sub: arn:${AWS::Partition}:x\n',
    );
    expect(load().Resources.Api.Properties!.DefinitionBody).toEqual({
      openapi: '3.0.1',
      paths: { '/x': { get: { 'x-uri': { 'Fn::Sub': 'arn:${AWS::Partition}:x' } } } },
    });
  });

  it('joins an included mapping to its siblings where the include stands (Resources-level include)', () => {
    write(
      'template.yaml',
      `
Resources:
  First: {Type: AWS::SNS::Topic}
  Fn::Transform: ${include('more/resources.yaml')}
  Last: {Type: AWS::SNS::Topic}
`,
    );
    write(
      'more/resources.yaml',
      'Middle:\n  Type: AWS::SNS::Subscription\n  Properties:\n    TopicArn: {Ref: First}\n',
    );
    const resources = load().Resources;
    expect(Object.keys(resources)).toEqual(['First', 'Middle', 'Last']);
    expect(resources.Middle.Properties).toEqual({ TopicArn: { Ref: 'First' } });
  });

  it.each([
    [
      'a missing file',
      'missing.yaml',
      null,
      /Resources\.Api\.Properties\.DefinitionBody: AWS::Include of missing\.yaml: cannot read .*missing\.yaml/,
    ],
    [
      'an S3 location',
      's3://bucket/openapi.yaml',
      null,
      /AWS::Include of s3:\/\/bucket\/openapi\.yaml cannot be read locally/,
    ],
    [
      'a short form',
      'api.yaml',
      'paths:\n  uri: !Sub arn:x\n',
      /AWS::Include of api\.yaml: line 2: short form !Sub \(an included file must use the long form, Fn::Sub:\)/,
    ],
    ['an alias', 'api.yaml', 'a: &x 1\nb: *x\n', /AWS::Include of api\.yaml: line 2: alias \*x/],
    ['a merge key', 'api.yaml', 'a: {<<: {b: 1}}\n', /AWS::Include of api\.yaml: line 1: merge key <</],
    [
      'an include in the included file',
      'api.yaml',
      `paths:\n  Fn::Transform: ${include('other.yaml')}\n`,
      /AWS::Include of api\.yaml includes another file \(paths\)/,
    ],
  ])('%s is a TemplateError naming the template, the place and the file', (_, location, content, message) => {
    write(
      'template.yaml',
      `Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      DefinitionBody:\n        Fn::Transform: ${include(location)}\n`,
    );
    if (content !== null) write(location, content);
    expect(load).toThrow(TemplateError);
    expect(load).toThrow(message);
    expect(load).toThrow(/template\.yaml: Resources\.Api\.Properties\.DefinitionBody: AWS::Include of /);
  });

  it('refuses an included resource that the template already has, and an include in text parsed without its folder', () => {
    write('template.yaml', `Resources:\n  Topic: {Type: AWS::SNS::Topic}\n  Fn::Transform: ${include('more.yaml')}\n`);
    write('more.yaml', 'Topic: {Type: AWS::SNS::Topic}\n');
    expect(load).toThrow('Resources: AWS::Include of more.yaml defines Topic, which is already there');
    expect(() => parseTemplate(`Resources:\n  Fn::Transform: ${include('more.yaml')}\n`, 'text.yaml')).toThrow(
      "text.yaml: Resources: AWS::Include of more.yaml is relative to the template's folder; load the template from its file",
    );
  });
});
