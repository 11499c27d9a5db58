/**
 * An in-process LambdaInvoker for the Step Functions API's tests: functions are plain async functions
 * registered by logical id, errors come back as Lambda reports them ({errorType, errorMessage, trace} with
 * functionError 'Unhandled'), an unknown function is Lambda's ResourceNotFoundException.
 */
import { LambdaServiceError, type LambdaInvokeResult, type LambdaInvoker } from '../../local/lambda-runner/index';

export type FakeFunction = (event: unknown) => unknown | Promise<unknown>;

export class FakeLambda implements LambdaInvoker {
  readonly calls: { functionName: string; event: unknown }[] = [];
  private readonly functions = new Map<string, FakeFunction>();

  constructor(functions: Record<string, FakeFunction> = {}) {
    for (const [name, fn] of Object.entries(functions)) this.functions.set(name, fn);
  }

  define(logicalId: string, fn: FakeFunction): void {
    this.functions.set(logicalId, fn);
  }

  async invoke(functionName: string, event: unknown): Promise<LambdaInvokeResult> {
    this.calls.push({ functionName, event });
    // arn:aws:lambda:<region>:<account>:function:<LogicalId>[:qualifier] → LogicalId
    const logicalId = functionName.startsWith('arn:') ? functionName.split(':')[6] : functionName.split(':')[0];
    const fn = this.functions.get(logicalId);
    if (!fn) {
      throw new LambdaServiceError('ResourceNotFoundException', `Function not found: ${functionName}`, 404);
    }
    try {
      return {
        statusCode: 200,
        payload: (await fn(structuredClone(event))) ?? null,
        logs: `START ${logicalId}\nEND ${logicalId}\n`,
      };
    } catch (error) {
      const { name, message, stack } = error as Error;
      return {
        statusCode: 200,
        functionError: 'Unhandled',
        payload: { errorType: name, errorMessage: message, trace: (stack ?? '').split('\n') },
      };
    }
  }
}

/** A domain error whose name is the errorType Lambda reports, like the project's functions throw. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
