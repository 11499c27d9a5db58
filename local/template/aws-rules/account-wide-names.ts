import { problem, type Problem } from '../../../scripts/lib/problems';
import type { Template } from '../load';
import { propertyAt } from './template-values';

/**
 * CloudFront is a global service: its functions, origin access controls and policies are named once per account, not
 * per Region. A name built from the stack name alone (`${AWS::StackName}-web`) is the same for a stack of that name in
 * another Region, whose create then fails with FunctionAlreadyExists / OriginAccessControlAlreadyExists /
 * ResponseHeadersPolicyAlreadyExists and rolls back. Such a name must carry `${AWS::Region}` (or be left out, for
 * CloudFormation to generate a unique one where the property is optional).
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ResponseHeadersPolicyConfig.html ("The name must be
 * unique for response headers policies in this AWS account"), API_CreateFunction.html (FunctionAlreadyExists: "A
 * function with the same name already exists in this AWS account"), API_CreateOriginAccessControl.html
 * (OriginAccessControlAlreadyExists), API_CachePolicyConfig.html and API_OriginRequestPolicyConfig.html (unique in
 * the account).
 */

const ACCOUNT_WIDE_NAMES: Array<{ type: string; property: readonly string[] }> = [
  { type: 'AWS::CloudFront::Function', property: ['Name'] },
  { type: 'AWS::CloudFront::OriginAccessControl', property: ['OriginAccessControlConfig', 'Name'] },
  { type: 'AWS::CloudFront::ResponseHeadersPolicy', property: ['ResponseHeadersPolicyConfig', 'Name'] },
  { type: 'AWS::CloudFront::CachePolicy', property: ['CachePolicyConfig', 'Name'] },
  { type: 'AWS::CloudFront::OriginRequestPolicy', property: ['OriginRequestPolicyConfig', 'Name'] },
];

/** Whether a value as written takes the Region: `${AWS::Region}` in an Fn::Sub, or a `Ref: AWS::Region` (`${!AWS::Region}` is literal text). */
function carriesRegion(value: unknown): boolean {
  const text = JSON.stringify(value);
  return text.includes('${AWS::Region}') || text.includes('{"Ref":"AWS::Region"}');
}

export function checkAccountWideNames(template: Template): Problem[] {
  const problems: Problem[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const named = ACCOUNT_WIDE_NAMES.find((candidate) => candidate.type === resource?.Type);
    if (!named) continue;
    const value = propertyAt(resource.Properties, named.property);
    if (value === undefined || carriesRegion(value)) continue;
    problems.push(
      problem(
        'GlobalNameWithoutRegion',
        `Resources.${logicalId}.Properties.${named.property.join('.')}`,
        `${resource.Type} names are unique in the whole account (CloudFront is global), so ${JSON.stringify(value)} collides with the same stack deployed in another Region; put \${AWS::Region} in the name`,
      ),
    );
  }
  return problems;
}
