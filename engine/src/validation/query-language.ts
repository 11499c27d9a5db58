/**
 * QueryLanguage rules, as measured on AWS (floci's validation tests): the value's type and enum, no state
 * may go back to JSONPath when the whole machine is JSONata, and each language's own fields.
 */
import { error, SCHEMA_VALIDATION_FAILED, type Diagnostic } from './diagnostic';
import { allStates, machineLanguage, type Json } from './walk';

const JSONATA_ONLY = new Set(['Output', 'Arguments', 'Items']);
const JSONPATH_ONLY = new Set([
  'InputPath',
  'OutputPath',
  'ResultPath',
  'Parameters',
  'ResultSelector',
  'Result',
  'ItemsPath',
  'SecondsPath',
  'TimestampPath',
  'ErrorPath',
  'CausePath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'MaxConcurrencyPath',
  'ToleratedFailureCountPath',
  'ToleratedFailurePercentagePath',
]);

function valueProblem(value: unknown, location: string): Diagnostic[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') return [error(SCHEMA_VALIDATION_FAILED, 'Expected value of type [STRING]', location)];
  if (value !== 'JSONPath' && value !== 'JSONata') {
    return [error(SCHEMA_VALIDATION_FAILED, 'Value should be one of the following: [JSONPath, JSONata]', location)];
  }
  return [];
}

export function queryLanguageChecks(definition: Json): Diagnostic[] {
  const diagnostics = valueProblem(definition.QueryLanguage, '/QueryLanguage');
  const machine = machineLanguage(definition);
  for (const { state, location, queryLanguage } of allStates(definition)) {
    if (machine === 'JSONata' && state.QueryLanguage === 'JSONPath') {
      // AWS reports only this for the state: its other-language fields are not reported on top of it.
      diagnostics.push(
        error(
          SCHEMA_VALIDATION_FAILED,
          "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
          location,
        ),
      );
    } else {
      const foreign = queryLanguage === 'JSONPath' ? JSONATA_ONLY : JSONPATH_ONLY;
      const other = queryLanguage === 'JSONPath' ? 'JSONata' : 'JSONPath';
      for (const field of Object.keys(state)) {
        if (foreign.has(field)) {
          diagnostics.push(
            error(
              SCHEMA_VALIDATION_FAILED,
              `The QueryLanguage is set to '${queryLanguage}', but field '${field}' is only supported for the '${other}' QueryLanguage`,
              location,
            ),
          );
        }
      }
    }
    diagnostics.push(...valueProblem(state.QueryLanguage, `${location}/QueryLanguage`));
  }
  return diagnostics;
}
