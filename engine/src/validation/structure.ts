/**
 * Structural checks with AWS's SCHEMA_VALIDATION_FAILED wording: required fields, the state Type, fields a
 * state type does not support. asl-validator's JSON schema then backs these up for everything else
 * (value types, ranges, Choice rule shapes, ...), on a copy normalized where its schema is stricter than
 * AWS (see `normalizeForAslValidator`).
 */
import type { ErrorObject } from 'ajv';
import { aslSchemaErrors } from './asl-schema';
import { error, SCHEMA_VALIDATION_FAILED, type Diagnostic } from './diagnostic';
import { allContainers, allStates, isObject, type Json } from './walk';

const STATE_TYPES = ['Task', 'Wait', 'Pass', 'Succeed', 'Fail', 'Choice', 'Parallel', 'Map'];

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FLOW = ['Next', 'End'];
const IO = ['InputPath', 'OutputPath', 'Output'];
/** The fields each state type supports, in both query languages (which language a field needs is checked in query-language.ts). */
const FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  Pass: new Set([...COMMON, ...FLOW, ...IO, 'ResultPath', 'Parameters', 'Result', 'Assign']),
  Task: new Set([
    ...COMMON,
    ...FLOW,
    ...IO,
    'Resource',
    'Parameters',
    'Arguments',
    'ResultSelector',
    'ResultPath',
    'Retry',
    'Catch',
    'TimeoutSeconds',
    'TimeoutSecondsPath',
    'HeartbeatSeconds',
    'HeartbeatSecondsPath',
    'Credentials',
    'Assign',
  ]),
  Choice: new Set([...COMMON, ...IO, 'Choices', 'Default', 'Assign']),
  Wait: new Set([...COMMON, ...FLOW, ...IO, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath', 'Assign']),
  Succeed: new Set([...COMMON, ...IO]),
  Fail: new Set([...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath']),
  Parallel: new Set([
    ...COMMON,
    ...FLOW,
    ...IO,
    'Branches',
    'ResultPath',
    'Parameters',
    'Arguments',
    'ResultSelector',
    'Retry',
    'Catch',
    'Assign',
  ]),
  Map: new Set([
    ...COMMON,
    ...FLOW,
    ...IO,
    'ResultPath',
    'ItemsPath',
    'Items',
    'ItemProcessor',
    'Iterator',
    'ItemSelector',
    'Parameters',
    'ItemReader',
    'ItemBatcher',
    'ResultWriter',
    'ResultSelector',
    'MaxConcurrency',
    'MaxConcurrencyPath',
    'ToleratedFailureCount',
    'ToleratedFailureCountPath',
    'ToleratedFailurePercentage',
    'ToleratedFailurePercentagePath',
    'Label',
    'Retry',
    'Catch',
    'Assign',
  ]),
};

/** The fields a state of each type cannot do without (a Map's processor is checked on its own: it has two names). */
const REQUIRED: Readonly<Record<string, string[]>> = {
  Task: ['Resource'],
  Choice: ['Choices'],
  Parallel: ['Branches'],
};

/** AWS lists missing fields as "These fields are required: [States, StartAt]" at "/". */
function requiredFields(value: Json, fields: string[], location: string): Diagnostic[] {
  const missing = fields.filter((field) => value[field] === undefined);
  return missing.length
    ? [error(SCHEMA_VALIDATION_FAILED, `These fields are required: [${missing.join(', ')}]`, location)]
    : [];
}

export function topLevelStructure(definition: Json): Diagnostic[] {
  const diagnostics = requiredFields(definition, ['States', 'StartAt'], '/');
  if (definition.States !== undefined && !isObject(definition.States)) {
    diagnostics.push(error(SCHEMA_VALIDATION_FAILED, "The field 'States' must be an object", '/States'));
  }
  return diagnostics;
}

export function stateStructure(definition: Json): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const container of allContainers(definition)) {
    if (container.location !== '')
      diagnostics.push(...requiredFields({ StartAt: container.startAt }, ['StartAt'], container.location));
  }
  for (const { state, location } of allStates(definition)) {
    if (state.Type === undefined) {
      diagnostics.push(...requiredFields(state, ['Type'], location));
      continue;
    }
    if (typeof state.Type !== 'string' || !STATE_TYPES.includes(state.Type)) {
      diagnostics.push(
        error(
          SCHEMA_VALIDATION_FAILED,
          `The field 'Type' should have one of these values: [${STATE_TYPES.join(', ')}]`,
          `${location}/Type`,
        ),
      );
      continue;
    }
    if (!['Choice', 'Succeed', 'Fail'].includes(state.Type)) {
      // Wording inferred (not recorded on AWS): exactly one of Next and End.
      if (state.Next !== undefined && state.End !== undefined)
        diagnostics.push(error(SCHEMA_VALIDATION_FAILED, 'Only one of these fields may be set: [Next, End]', location));
      if (state.Next === undefined && state.End === undefined)
        diagnostics.push(error(SCHEMA_VALIDATION_FAILED, 'One of these fields is required: [Next, End]', location));
    }
    diagnostics.push(...requiredFields(state, REQUIRED[state.Type] ?? [], location));
    // Wording inferred like Next/End's: a Map needs its processor under either name.
    if (state.Type === 'Map' && state.ItemProcessor === undefined && state.Iterator === undefined) {
      diagnostics.push(
        error(SCHEMA_VALIDATION_FAILED, 'One of these fields is required: [ItemProcessor, Iterator]', location),
      );
    }
    const supported = FIELDS[state.Type]!;
    for (const field of Object.keys(state)) {
      if (!supported.has(field))
        diagnostics.push(error(SCHEMA_VALIDATION_FAILED, `Field '${field}' is not supported`, location));
    }
    for (const [field, nested] of [
      ['ItemProcessor', state.ItemProcessor],
      ['Iterator', state.Iterator],
    ] as const) {
      if (isObject(nested) && nested.QueryLanguage !== undefined) {
        diagnostics.push(
          error(SCHEMA_VALIDATION_FAILED, "Field 'QueryLanguage' is not supported", `${location}/${field}`),
        );
      }
    }
    // AWS's wording, recorded by LocalStack (v2/test_state/test_state_mock_validation, empty branches).
    if (Array.isArray(state.Branches) && state.Branches.length === 0)
      diagnostics.push(error(SCHEMA_VALIDATION_FAILED, 'Value cannot be empty', `${location}/Branches`));
    if (Array.isArray(state.Branches)) {
      state.Branches.forEach((branch, i) => {
        if (isObject(branch) && branch.QueryLanguage !== undefined) {
          diagnostics.push(
            error(SCHEMA_VALIDATION_FAILED, "Field 'QueryLanguage' is not supported", `${location}/Branches[${i}]`),
          );
        }
      });
    }
  }
  return diagnostics;
}

function forEachRule(state: Json, visit: (holder: Json) => void): void {
  visit(state);
  for (const list of [state.Catch, state.Choices]) {
    if (Array.isArray(list)) list.filter(isObject).forEach(visit);
  }
}

/**
 * asl-validator's schema is stricter than AWS on fields AWS was recorded accepting (every definition in
 * engine/tests/conformance/cases ran on AWS): a JSONata Output may be any JSON value, Assign values any JSON value
 * (also arrays, in JSONPath states), a Condition a literal boolean, ToleratedFailurePercentage a fraction.
 * Those fields are replaced on the copy; this module and jsonata-expressions.ts check them instead.
 */
function normalizeForAslValidator(definition: Json): Json {
  const copy = structuredClone(definition);
  for (const { state, queryLanguage } of allStates(copy)) {
    // The schema picks each state's JSONPath or JSONata variant by its QueryLanguage, so every state gets its effective one.
    state.QueryLanguage = queryLanguage;
    forEachRule(state, (holder) => {
      if (holder.Output !== undefined) holder.Output = '{% $states.input %}';
      delete holder.Assign;
      if (holder.Condition !== undefined && typeof holder.Condition !== 'string') holder.Condition = '{% true %}';
    });
    const percentage = state.ToleratedFailurePercentage;
    if (typeof percentage === 'number' && percentage >= 0 && percentage <= 100) state.ToleratedFailurePercentage = 0;
  }
  return copy;
}

/** "/States/C/Choices/0/Next" → "/States/C/Choices[0]/Next", AWS's way of writing array indexes. */
function awsLocation(instancePath: string): string {
  return instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]') || '/';
}

/** AWS words range errors "Minimum value is 0" (measured, floci's validation tests); others keep ajv's text. */
function schemaMessage(problem: ErrorObject): string {
  if (problem.keyword === 'minimum' || problem.keyword === 'maximum') {
    return `${problem.keyword === 'minimum' ? 'Minimum' : 'Maximum'} value is ${String((problem.params as { limit: number }).limit)}`;
  }
  return `The value is not valid: it ${problem.message ?? 'does not match the schema'}`;
}

/** The innermost state a location is in, e.g. "/States/M/ItemProcessor/States/P" for ".../States/P/Output". */
function stateOf(location: string): string {
  return /^(.*\/States\/[^/[]+)/.exec(location)?.[1] ?? location;
}

/** asl-validator's schema errors, except in a state where a check with AWS's wording already reported. */
export function aslValidatorErrors(definition: Json, reported: readonly Diagnostic[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const problem of aslSchemaErrors(normalizeForAslValidator(definition))) {
    const location = awsLocation(problem.instancePath);
    const covered = reported.some(
      (d) =>
        d.location !== undefined &&
        (d.location.startsWith(location) ||
          location.startsWith(d.location) ||
          stateOf(d.location) === stateOf(location)),
    );
    // Type and QueryLanguage are checked with AWS's wording; the schema's errors there are oneOf side effects.
    if (covered || /\/(Type|QueryLanguage)$/.test(location) || diagnostics.some((d) => d.location === location))
      continue;
    diagnostics.push(error(SCHEMA_VALIDATION_FAILED, schemaMessage(problem), location));
  }
  return diagnostics;
}
