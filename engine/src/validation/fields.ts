/**
 * Checks of individual field values AWS makes at creation: Task resources, Express-only restrictions,
 * Wait timestamps, the ranges of literal seconds, intrinsic function syntax in `.$` fields, and variable names in Assign.
 */
import { IntrinsicSyntaxError, isIntrinsic, parseIntrinsic } from '../intrinsics/parser';
import { error, SCHEMA_VALIDATION_FAILED, type Diagnostic } from './diagnostic';
import { isJsonataExpression } from './jsonata-expressions';
import { integrationPattern, isRecognizedResource } from './resources';
import { allStates, isObject, type Json, type StateVisit } from './walk';

interface FieldCheckOptions {
  type?: 'STANDARD' | 'EXPRESS';
}

function resourceChecks({ state, location }: StateVisit, options: FieldCheckOptions): Diagnostic[] {
  if (state.Type !== 'Task' || typeof state.Resource !== 'string') return [];
  const resource = state.Resource;
  const at = `${location}/Resource`;
  if (!isRecognizedResource(resource)) {
    return [
      error(
        SCHEMA_VALIDATION_FAILED,
        `The resource provided ${resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
        at,
      ),
    ];
  }
  const pattern = integrationPattern(resource);
  if (options.type === 'EXPRESS' && pattern) {
    // AWS's text ends with a space before " at <location>".
    return [
      error(SCHEMA_VALIDATION_FAILED, `Express state machine does not support '${pattern}' service integration `, at),
    ];
  }
  return [];
}

/** RFC 3339 date-time with an existing calendar date, as AWS requires for Wait Timestamp. */
function isRfc3339(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = match[7] === undefined || (Number(match[7]) <= 23 && Number(match[8]) <= 59);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 60 &&
    offsetOk
  );
}

function timestampChecks({ state, location }: StateVisit): Diagnostic[] {
  const timestamp = state.Timestamp;
  if (state.Type !== 'Wait' || typeof timestamp !== 'string' || isJsonataExpression(timestamp) || isRfc3339(timestamp))
    return [];
  return [error(SCHEMA_VALIDATION_FAILED, 'String does not match RFC3339 timestamp', `${location}/Timestamp`)];
}

/** The largest number of seconds ASL allows for a Wait and for a task's timeout and heartbeat. */
const MAX_SECONDS = 99_999_999;
/** Literal seconds fields and their smallest value (a Wait may be 0 s; a task must be given at least 1 s). */
const SECONDS_FIELDS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  Wait: { Seconds: 0 },
  Task: { TimeoutSeconds: 1, HeartbeatSeconds: 1 },
};

/** Only out-of-range numbers: other types are left to the schema, expressions to the JSONata checks. */
function secondsChecks({ state, location }: StateVisit): Diagnostic[] {
  const fields = SECONDS_FIELDS[state.Type as string] ?? {};
  return Object.entries(fields).flatMap(([field, minimum]) => {
    const value = state[field];
    if (typeof value !== 'number') return [];
    if (value > MAX_SECONDS)
      return [error(SCHEMA_VALIDATION_FAILED, `Maximum value is ${MAX_SECONDS}`, `${location}/${field}`)];
    if (value < minimum)
      return [error(SCHEMA_VALIDATION_FAILED, `Minimum value is ${minimum}`, `${location}/${field}`)];
    return [];
  });
}

/** Payload templates whose `.$` keys may hold intrinsic functions, and the Fail fields that may. */
const TEMPLATE_FIELDS = ['Parameters', 'ResultSelector', 'ItemSelector', 'Credentials', 'Assign'];

function intrinsicProblems(template: unknown, location: string, out: Diagnostic[]): void {
  if (Array.isArray(template)) {
    template.forEach((item, i) => {
      intrinsicProblems(item, `${location}[${i}]`, out);
    });
    return;
  }
  if (!isObject(template)) return;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string' && value.trimStart().startsWith('States.')) {
      if (!isIntrinsic(value) || !parsesAsIntrinsic(value)) {
        out.push(
          error(
            SCHEMA_VALIDATION_FAILED,
            `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`,
            location,
          ),
        );
      }
    } else {
      intrinsicProblems(value, `${location}/${key}`, out);
    }
  }
}

function parsesAsIntrinsic(value: string): boolean {
  try {
    parseIntrinsic(value);
    return true;
  } catch (cause) {
    if (cause instanceof IntrinsicSyntaxError) return false;
    throw cause;
  }
}

function intrinsicChecks({ state, location, queryLanguage }: StateVisit): Diagnostic[] {
  if (queryLanguage !== 'JSONPath') return [];
  const out: Diagnostic[] = [];
  for (const field of TEMPLATE_FIELDS) intrinsicProblems(state[field], `${location}/${field}`, out);
  for (const field of ['ErrorPath', 'CausePath']) {
    const value = state[field];
    if (typeof value === 'string' && value.startsWith('States.') && !parsesAsIntrinsic(value)) {
      out.push(
        error(
          SCHEMA_VALIDATION_FAILED,
          `The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call`,
          `${location}/${field}`,
        ),
      );
    }
  }
  return out;
}

/** A variable name: a letter or underscore then letters, digits or underscores, at most 80 characters; `states` is reserved. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,79}$/;

function assignProblems(assign: unknown, location: string, jsonPath: boolean): Diagnostic[] {
  if (assign === undefined) return [];
  if (!isObject(assign)) return [error(SCHEMA_VALIDATION_FAILED, "The field 'Assign' must be an object", location)];
  const out: Diagnostic[] = [];
  for (const key of Object.keys(assign)) {
    const name = jsonPath && key.endsWith('.$') ? key.slice(0, -2) : key;
    if (!VARIABLE_NAME.test(name) || name === 'states') {
      out.push(
        error(
          SCHEMA_VALIDATION_FAILED,
          `The variable name '${name}' is not valid: use letters, digits and underscores, start with a letter or underscore, at most 80 characters, not 'states'`,
          `${location}/${key}`,
        ),
      );
    }
  }
  return out;
}

function assignChecks({ state, location, queryLanguage }: StateVisit): Diagnostic[] {
  const jsonPath = queryLanguage === 'JSONPath';
  const out = assignProblems(state.Assign, `${location}/Assign`, jsonPath);
  for (const field of ['Choices', 'Catch']) {
    const rules = state[field];
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule, i) => {
      if (isObject(rule)) out.push(...assignProblems(rule.Assign, `${location}/${field}[${i}]/Assign`, jsonPath));
    });
  }
  return out;
}

export function fieldChecks(definition: Json, options: FieldCheckOptions): Diagnostic[] {
  return allStates(definition).flatMap((visit) => [
    ...resourceChecks(visit, options),
    ...timestampChecks(visit),
    ...secondsChecks(visit),
    ...intrinsicChecks(visit),
    ...assignChecks(visit),
  ]);
}
