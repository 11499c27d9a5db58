import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serverlessFunction } from '../../../local/template/functions';
import { PROJECT_ROOT, type Template } from '../../../local/template/load';
import { problem, type Problem } from '../problems';

/**
 * SAM policy templates (`- DynamoDBCrudPolicy: {TableName: ...}`) in Policies must exist in SAM's list
 * (schemas/sam/policy_templates.json) and get every parameter they declare, as SAM's translator requires.
 */
interface PolicyTemplates {
  Templates: Record<string, { Parameters?: Record<string, unknown> }>;
}

let templates: PolicyTemplates['Templates'] | undefined;
function policyTemplates(): PolicyTemplates['Templates'] {
  templates ??= (
    JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'schemas/sam/policy_templates.json'), 'utf8')) as PolicyTemplates
  ).Templates;
  return templates;
}

/** A policy entry that is not a template: a managed policy (name, ARN, intrinsic) or an inline document. */
function isNotATemplate(entry: unknown): boolean {
  if (typeof entry === 'string' || !entry || typeof entry !== 'object' || Array.isArray(entry)) return true;
  const keys = Object.keys(entry);
  return 'Statement' in entry || keys.some((key) => key === 'Ref' || key.startsWith('Fn::'));
}

export function checkPolicyTemplates(template: Template): Problem[] {
  const problems: Problem[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource?.Type !== 'AWS::Serverless::Function' && resource?.Type !== 'AWS::Serverless::StateMachine') continue;
    const policies =
      resource.Type === 'AWS::Serverless::Function'
        ? serverlessFunction(template, id)!.properties.Policies
        : resource.Properties?.Policies;
    const entries = Array.isArray(policies) ? policies : policies === undefined ? [] : [policies];
    entries.forEach((entry, index) => {
      if (isNotATemplate(entry)) return;
      const location = `Resources.${id}.Properties.Policies[${index}]`;
      const keys = Object.keys(entry as object);
      if (keys.length !== 1) {
        problems.push(
          problem(
            'PolicyTemplateUnknown',
            location,
            `a policy template entry has exactly one key, got ${keys.join(', ')}`,
          ),
        );
        return;
      }
      const [name] = keys;
      const known = policyTemplates()[name];
      if (!known) {
        problems.push(problem('PolicyTemplateUnknown', location, `${name} is not a SAM policy template`));
        return;
      }
      const values = (entry as Record<string, unknown>)[name];
      const given = values && typeof values === 'object' && !Array.isArray(values) ? Object.keys(values) : [];
      const missing = Object.keys(known.Parameters ?? {}).filter((parameter) => !given.includes(parameter));
      if (missing.length > 0) {
        problems.push(problem('PolicyTemplateParameters', location, `${name} needs ${missing.join(', ')}`));
      }
    });
  }
  return problems;
}
