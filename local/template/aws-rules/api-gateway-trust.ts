import { problem, type Problem } from '../../../scripts/lib/problems';
import type { Template } from '../load';
import { propertyAt } from './template-values';

/**
 * A role that API Gateway assumes (an integration's `credentials`, the account's CloudWatch Logs role) must not
 * make its trust depend on `aws:SourceAccount` or `aws:SourceArn`: API Gateway does not put them in the request
 * context when it assumes such a role, so a condition on them never matches, the AssumeRole is denied, and every
 * request of the route answers 500 ("API Gateway does not have permission to assume the provided role"). AWS
 * documents no confused-deputy keys for API Gateway, and the keys are present only for services that set them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html); the failure was seen
 * in a live deployment and fixed by removing the condition
 * (https://github.com/aws-solutions-library-samples/accelerated-intelligent-document-processing-on-aws/pull/479).
 * The template deploys, so nothing but this rule would notice before the first request.
 */

const SOURCE_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceowner'];
const API_GATEWAY = 'apigateway.amazonaws.com';

interface TrustStatement {
  Effect?: string;
  Principal?: { Service?: unknown };
  Condition?: Record<string, Record<string, unknown>>;
}

const trustsApiGateway = (statement: TrustStatement) =>
  statement.Effect === 'Allow' && [statement.Principal?.Service].flat().includes(API_GATEWAY);

/** Condition keys are case-insensitive in IAM. */
const sourceKeysOf = (statement: TrustStatement) =>
  Object.values(statement.Condition ?? {})
    .flatMap((keys) => Object.keys(keys ?? {}))
    .filter((key) => SOURCE_KEYS.includes(key.toLowerCase()));

export function checkApiGatewayTrust(template: Template): Problem[] {
  const problems: Problem[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource?.Type !== 'AWS::IAM::Role') continue;
    const statement = propertyAt(resource.Properties, ['AssumeRolePolicyDocument', 'Statement']);
    const statements = [statement ?? []].flat() as TrustStatement[];
    statements.forEach((statement, index) => {
      const keys = trustsApiGateway(statement) ? sourceKeysOf(statement) : [];
      if (keys.length === 0) return;
      problems.push(
        problem(
          'ApiGatewayTrustCondition',
          `Resources.${logicalId}.Properties.AssumeRolePolicyDocument.Statement[${index}].Condition`,
          `API Gateway does not set ${keys.join(', ')} when it assumes a role, so this trust never matches and every request that needs the role answers 500; remove the condition`,
        ),
      );
    });
  }
  return problems;
}
