import { parseTemplate, TemplateError } from '../../local/template/load';

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
      Pick: { 'Fn::If': ['IsProd', { 'Fn::Select': [0, { 'Fn::Split': [',', 'a,b'] }] }, { 'Fn::Join': ['-', ['x', { Ref: 'Stage' }]] }] },
      Cond: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    });
  });

  it('names the problem for text that is not a template', () => {
    expect(() => parseTemplate('a: [', 'bad.yaml')).toThrow(TemplateError);
    expect(() => parseTemplate('- 1', 'list.yaml')).toThrow('list.yaml: a template must be a YAML mapping');
    expect(() => parseTemplate('Parameters: {}', 'empty.yaml')).toThrow('empty.yaml: the template has no Resources mapping');
    expect(() => parseTemplate('Resources: {}\nResources: {}', 'dup.yaml')).toThrow(TemplateError);
  });
});
