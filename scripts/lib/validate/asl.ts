import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import aslValidator from 'asl-validator';
import { validateDefinition } from '@serverless-workflows/sfn-engine';
import { PROJECT_ROOT, type Template } from '../../../local/template/load';
import { problem, type Problem } from '../problems';
import type { StateMachineSource } from './state-machine-sources';

const LOCAL_REGION = 'us-east-1';
const LOCAL_ACCOUNT = '123456789012';

/**
 * The value a substitution takes in the offline runtime (docs/ARCHITECTURE.md: function ARNs
 * `arn:aws:lambda:<region>:123456789012:function:<LogicalId>`, table names = logical ids), so the definition is
 * checked as it will run, ARNs included.
 */
function localSubstitutionValue(value: unknown, template: Template): string | undefined {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return undefined;
  const intrinsic = value as Record<string, unknown>;
  if (typeof intrinsic.Ref === 'string') return intrinsic.Ref;
  const getAtt = intrinsic['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
    const type = template.Resources[getAtt[0]]?.Type;
    if (type === 'AWS::Serverless::Function')
      return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${getAtt[0]}`;
    if (type === 'AWS::Serverless::StateMachine')
      return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${getAtt[0]}`;
  }
  return undefined;
}

function substitute(source: StateMachineSource, template: Template): string {
  return source.text.replace(/\$\{([^}]*)\}/g, (placeholder, name: string) => {
    const value = localSubstitutionValue(source.substitutions[name], template);
    // JSON-escaped without its quotes: the placeholder sits inside a JSON string.
    return value === undefined ? placeholder : JSON.stringify(value).slice(1, -1);
  });
}

let cfnLintSchema: ValidateFunction | undefined;
function cfnLintValidator(): ValidateFunction {
  if (!cfnLintSchema) {
    const file = path.join(PROJECT_ROOT, 'schemas/cfn-lint/statemachine.json');
    cfnLintSchema = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(file, 'utf8')));
  }
  return cfnLintSchema;
}

/**
 * cfn-lint's schema decides JSONPath or JSONata per state from the state's own QueryLanguage; like cfn-lint, give
 * each state the language it inherits (the machine's, or its enclosing Map/Parallel state's) before validating.
 */
function withInheritedQueryLanguage(definition: unknown, inherited = 'JSONPath'): unknown {
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) return definition;
  const machine = { ...(definition as Record<string, unknown>) };
  const language = typeof machine.QueryLanguage === 'string' ? machine.QueryLanguage : inherited;
  if (machine.States && typeof machine.States === 'object') {
    machine.States = Object.fromEntries(
      Object.entries(machine.States as Record<string, Record<string, unknown>>).map(([name, state]) => {
        if (!state || typeof state !== 'object') return [name, state];
        const stateLanguage = typeof state.QueryLanguage === 'string' ? state.QueryLanguage : language;
        // cfn-lint's Succeed schema has no QueryLanguage (nothing of a Succeed depends on the language): an
        // inherited one would be refused there, so only a state's own QueryLanguage is checked on a Succeed.
        if (state.Type === 'Succeed') return [name, state];
        const copy: Record<string, unknown> = { ...state, QueryLanguage: stateLanguage };
        for (const key of ['Iterator', 'ItemProcessor']) {
          if (copy[key]) copy[key] = withInheritedQueryLanguage(copy[key], stateLanguage);
        }
        if (Array.isArray(copy.Branches)) {
          copy.Branches = copy.Branches.map((branch) => withInheritedQueryLanguage(branch, stateLanguage));
        }
        return [name, copy];
      }),
    );
  }
  return machine;
}

/** Like asl-validator's own reporting: the errors at the deepest instance path say what to fix. */
function deepestErrors(errors: ErrorObject[]): ErrorObject[] {
  const depth = (error: ErrorObject) => error.instancePath.split('/').length;
  const deepest = Math.max(...errors.map(depth));
  const atDeepest = errors.filter(
    (error) => depth(error) === deepest && !['if', 'anyOf', 'oneOf'].includes(error.keyword),
  );
  return atDeepest.length > 0 ? atDeepest : errors;
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const detail = error.keyword === 'additionalProperties' ? ` "${String(params.additionalProperty)}"` : '';
  return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${detail}`;
}

/**
 * A definition (after its substitutions) checked by asl-validator, by cfn-lint's ASL schema (what
 * `sam validate --lint` applies), and by the engine's own validateDefinition.
 */
export function checkDefinition(source: StateMachineSource, template: Template): Problem[] {
  let definition: unknown;
  try {
    definition = JSON.parse(substitute(source, template));
  } catch (error) {
    return [problem('DefinitionUnreadable', source.origin, `not valid JSON: ${(error as Error).message}`)];
  }
  const problems: Problem[] = [];
  // asl-validator writes default QueryLanguage values into the object it is given: hand it a copy.
  const asl = aslValidator(structuredClone(definition));
  for (const error of asl.errors) {
    problems.push(problem('AslInvalid', source.origin, `${error['Error code']}: ${error.Message}`));
  }
  const validate = cfnLintValidator();
  if (!validate(withInheritedQueryLanguage(definition))) {
    const lines = new Set(deepestErrors(validate.errors ?? []).map(describe));
    for (const line of lines) problems.push(problem('AslSchemaViolation', source.origin, line));
  }
  for (const diagnostic of validateDefinition(definition as object, { type: source.type })) {
    const where = diagnostic.location ? `${source.origin}#${diagnostic.location}` : source.origin;
    const message = `${diagnostic.code}: ${diagnostic.message}`;
    problems.push(
      diagnostic.severity === 'ERROR'
        ? problem('EngineRejected', where, message)
        : { ...problem('EngineWarning', where, message), severity: 'warning' },
    );
  }
  return problems;
}
