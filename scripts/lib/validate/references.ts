import type { Template } from '../../../local/template/load';
import { problem, type Problem } from '../problems';

/**
 * Every intrinsic that names something (Ref, Fn::GetAtt, Fn::Sub's ${...}, Fn::If and Condition, DependsOn)
 * must name something that exists, or CloudFormation rejects the stack at deploy time.
 */
const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** Resources SAM generates and lets templates refer to (`MyApi.Stage`, `MyFunctionRole`, ...). */
function samGeneratedNames(template: Template): Set<string> {
  const names = new Set<string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    switch (resource?.Type) {
      case 'AWS::Serverless::Api':
      case 'AWS::Serverless::HttpApi':
        names.add(`${id}.Stage`).add(`${id}.Deployment`);
        break;
      case 'AWS::Serverless::Function':
        names.add(`${id}.Alias`).add(`${id}.Version`);
        if (!resource.Properties?.Role) names.add(`${id}Role`);
        break;
      case 'AWS::Serverless::StateMachine':
        if (!resource.Properties?.Role) names.add(`${id}Role`);
        break;
    }
  }
  return names;
}

interface Scope {
  refs: Set<string>;
  resources: Set<string>;
  conditions: Set<string>;
}

function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]).filter((name) => !name.startsWith('!'));
}

function checkValue(value: unknown, location: string, scope: Scope, problems: Problem[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      checkValue(item, `${location}[${index}]`, scope, problems);
    });
    return;
  }
  if (!value || typeof value !== 'object') return;
  const node = value as Record<string, unknown>;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const [key] = keys;
    const argument = node[key];
    if (key === 'Ref' && typeof argument === 'string') {
      if (!scope.refs.has(argument))
        problems.push(problem('RefTargetMissing', location, `Ref ${argument}: no parameter or resource has that name`));
      return;
    }
    if (key === 'Fn::GetAtt') {
      const target = Array.isArray(argument)
        ? argument[0]
        : typeof argument === 'string'
          ? argument.split('.')[0]
          : undefined;
      if (typeof target === 'string' && !scope.resources.has(target)) {
        problems.push(problem('GetAttTargetMissing', location, `Fn::GetAtt ${target}: no resource has that name`));
      }
      if (Array.isArray(argument)) for (const item of argument.slice(1)) checkValue(item, location, scope, problems);
      return;
    }
    if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(argument) ? argument : [argument, undefined];
      const local = new Set(variables && typeof variables === 'object' ? Object.keys(variables) : []);
      if (typeof text === 'string') {
        for (const name of subVariables(text)) {
          if (local.has(name) || scope.refs.has(name)) continue;
          const dot = name.indexOf('.');
          if (dot > 0 && scope.resources.has(name.slice(0, dot))) continue;
          problems.push(
            dot > 0
              ? problem('GetAttTargetMissing', location, `Fn::Sub \${${name}}: no resource ${name.slice(0, dot)}`)
              : problem('RefTargetMissing', location, `Fn::Sub \${${name}}: no parameter or resource has that name`),
          );
        }
      }
      if (variables) checkValue(variables, location, scope, problems);
      return;
    }
    if (key === 'Fn::If' && Array.isArray(argument)) {
      if (typeof argument[0] === 'string' && !scope.conditions.has(argument[0])) {
        problems.push(problem('ConditionMissing', location, `Fn::If ${argument[0]}: no such condition`));
      }
      argument.slice(1).forEach((item, index) => {
        checkValue(item, `${location}.Fn::If[${index + 1}]`, scope, problems);
      });
      return;
    }
    if (key === 'Condition' && typeof argument === 'string') {
      if (!scope.conditions.has(argument))
        problems.push(problem('ConditionMissing', location, `Condition ${argument}: no such condition`));
      return;
    }
  }
  for (const key of keys) checkValue(node[key], `${location}.${key}`, scope, problems);
}

export function checkReferences(template: Template): Problem[] {
  const resources = new Set(Object.keys(template.Resources));
  const scope: Scope = {
    resources: new Set([...resources, ...[...samGeneratedNames(template)].filter((name) => !name.includes('.'))]),
    refs: new Set([
      ...PSEUDO_PARAMETERS,
      ...Object.keys(template.Parameters ?? {}),
      ...resources,
      ...samGeneratedNames(template),
    ]),
    conditions: new Set(Object.keys(template.Conditions ?? {})),
  };
  const problems: Problem[] = [];
  for (const section of ['Conditions', 'Globals', 'Outputs'] as const) {
    if (template[section]) checkValue(template[section], section, scope, problems);
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!resource || typeof resource !== 'object') continue;
    const location = `Resources.${id}`;
    if (typeof resource.Condition === 'string' && !scope.conditions.has(resource.Condition)) {
      problems.push(problem('ConditionMissing', `${location}.Condition`, `${resource.Condition}: no such condition`));
    }
    const dependsOn = typeof resource.DependsOn === 'string' ? [resource.DependsOn] : (resource.DependsOn ?? []);
    for (const target of dependsOn) {
      if (!scope.resources.has(target))
        problems.push(problem('RefTargetMissing', `${location}.DependsOn`, `${target}: no resource has that name`));
    }
    checkValue(resource.Properties, `${location}.Properties`, scope, problems);
    checkValue(resource.Metadata, `${location}.Metadata`, scope, problems);
  }
  return problems;
}
