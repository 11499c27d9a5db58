/**
 * TestState's `context`: a context object the caller gives the state under test. AWS accepts the members an
 * execution's context object has (Execution, State, StateMachine, and Task for a callback or `.sync` task), each
 * with its own fields and types, and refuses anything else with "Invalid Context object provided: ..." (AWS's
 * texts as LocalStack recorded them: tests/aws/services/stepfunctions/v2/test_state/test_state_context_object).
 */
import { isPlainObject } from '../json/objects';
import { TestStateError } from './errors';

type FieldType = 'string' | 'integer' | 'any';

const MEMBERS: Record<string, Record<string, FieldType>> = {
  Execution: { Id: 'string', Input: 'any', Name: 'string', RoleArn: 'string', StartTime: 'string' },
  State: { EnteredTime: 'string', Name: 'string', RetryCount: 'integer' },
  StateMachine: { Id: 'string', Name: 'string' },
  Task: { Token: 'string' },
};

function invalid(reason: string): TestStateError {
  return new TestStateError('ValidationException', `Invalid Context object provided: ${reason}`);
}

function holds(type: FieldType, value: unknown): boolean {
  if (type === 'any') return true;
  if (type === 'integer') return Number.isInteger(value);
  return typeof value === 'string';
}

/** The context object in `text`, checked; `taskAllowed`: the state is a callback or `.sync` Task. */
export function parseContext(text: string, taskAllowed: boolean): Record<string, unknown> {
  let context: unknown;
  try {
    context = JSON.parse(text);
  } catch {
    throw invalid('the context is not valid JSON');
  }
  if (!isPlainObject(context)) throw invalid('the context must be a JSON object');
  for (const [member, value] of Object.entries(context)) {
    if (member === 'Map') throw invalid("'Map' field is not supported when mocking a Context object");
    const fields = MEMBERS[member];
    if (!fields) throw invalid(`Field '${member}' is not allowed`);
    if (value === null) continue;
    if (!isPlainObject(value)) throw invalid(`${member} must be a object`);
    for (const [field, fieldValue] of Object.entries(value)) {
      const type = fields[field];
      if (!type) throw invalid(`Field '${field}' is not allowed`);
      if (fieldValue !== null && !holds(type, fieldValue)) throw invalid(`${member}.${field} must be a ${type}`);
    }
  }
  if ('Task' in context && !taskAllowed) {
    throw invalid(
      "Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern",
    );
  }
  return context;
}
