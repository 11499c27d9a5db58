/** AWS's States.QueryEvaluationError for a JSONata field whose value has the wrong JSON type. */
import { StatesError } from '../errors/states-error';
import { jsonTypeName } from '../json/objects';
import { toJson } from '../json/text';

const QUERY_ERROR = 'States.QueryEvaluationError';

/** AWS's message for a field whose expression returned the wrong JSON type. */
export function unexpectedType(
  expression: string | undefined,
  field: string,
  expected: string,
  value: unknown,
): StatesError {
  const what =
    expression !== undefined
      ? `The JSONata expression '${expression}' specified for the field '${field}'`
      : `The field '${field}'`;
  return new StatesError(
    QUERY_ERROR,
    `${what} returned an unexpected result type. Expected '${expected}', but was '${jsonTypeName(value)}' for value: ${toJson(value)}`,
  );
}
