/**
 * Evaluating an intrinsic function call of a JSONPath state (parsed by parser.ts, each function in functions.ts).
 * Paths inside a call are resolved by the caller through `resolvePath`.
 *
 * Errors are StatesError('States.Runtime', detail) where detail is AWS's text after the prefix
 * "An error occurred while executing the state '<S>' (entered at the event id #<n>). " (the interpreter adds it):
 * - a function's argument error: "There was an error while evaluating the intrinsic function: <call>. Invalid arguments in States.X"
 * - a bad States.Format template: "... <call>. Invalid template in States.Format: matching '}' not found for '{'."
 * - a path that resolvePath rejects with a StatesError: "The function '<call>' had the following error: <its cause>"
 */
import { StatesError } from '../errors/states-error';
import { IntrinsicFunctionError, INTRINSIC_FUNCTIONS } from './functions';
import { IntrinsicSyntaxError, parseIntrinsic, type IntrinsicArgument, type IntrinsicCall } from './parser';

const RUNTIME = 'States.Runtime';

function evaluateArgument(arg: IntrinsicArgument, expression: string, resolvePath: (path: string) => unknown): unknown {
  switch (arg.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return arg.value;
    case 'null':
      return null;
    case 'call':
      return evaluateCall(arg.call, expression, resolvePath);
    case 'path':
      try {
        return resolvePath(arg.path);
      } catch (error) {
        if (error instanceof StatesError) {
          throw new StatesError(
            error.error,
            `The function '${expression}' had the following error: ${error.cause ?? error.message}`,
          );
        }
        throw error;
      }
  }
}

function evaluateCall(call: IntrinsicCall, expression: string, resolvePath: (path: string) => unknown): unknown {
  const values = call.args.map((arg) => evaluateArgument(arg, expression, resolvePath));
  try {
    return INTRINSIC_FUNCTIONS[call.name]!(values, call.args);
  } catch (error) {
    if (error instanceof IntrinsicFunctionError) {
      throw new StatesError(
        RUNTIME,
        `There was an error while evaluating the intrinsic function: ${expression}. ${error.detail}`,
      );
    }
    throw error;
  }
}

/** Evaluates an intrinsic function call such as `States.Format('Hello {}', $.name)`. */
export function evaluateIntrinsic(expression: string, resolvePath: (path: string) => unknown): unknown {
  let call: IntrinsicCall;
  try {
    call = parseIntrinsic(expression);
  } catch (error) {
    // Validation rejects these at creation; an unvalidated definition still fails cleanly.
    if (error instanceof IntrinsicSyntaxError) throw new StatesError(RUNTIME, error.message);
    throw error;
  }
  return evaluateCall(call, expression, resolvePath);
}
