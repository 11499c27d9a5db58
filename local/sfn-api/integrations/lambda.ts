/**
 * Lambda integrations (docs/stepfunctions-local.md §6.1, §6.2), calling functions through the runtime's
 * LambdaInvoker:
 * - a function ARN as Resource (legacy): the result is the function's return value;
 * - `arn:aws:states:::lambda:invoke` and `lambda:invoke.waitForTaskToken`: the result is Lambda's Invoke
 *   response as Step Functions shapes it ({ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}).
 * A function error fails the task with Error = the payload's errorType (Lambda.Unknown without one) and
 * Cause = the error payload's JSON text; a failure to invoke at all is a `Lambda.<Code>` service error.
 */
import crypto from 'node:crypto';
import type { TaskOutcome } from '@serverless-workflows/sfn-engine';
import type { LambdaInvokeResult, LambdaInvoker } from '../../lambda-runner/index';
import { checkParameters } from './parameters';
import { responseMetadata } from './response-metadata';

const invokeFields = {
  allowed: ['FunctionName', 'Payload', 'InvocationType', 'Qualifier', 'ClientContext', 'LogType'],
  required: ['FunctionName'],
} as const;

/** Lambda's own log tail limit for `LogType: Tail`. */
const logTailBytes = 4096;

function functionErrorOutcome(result: LambdaInvokeResult): TaskOutcome {
  const payload = result.payload as { errorType?: unknown } | null | undefined;
  const errorType =
    typeof payload?.errorType === 'string' && payload.errorType !== '' ? payload.errorType : 'Lambda.Unknown';
  return { ok: false, error: errorType, cause: JSON.stringify(result.payload ?? null) };
}

/** The invoker could not run the function at all (unknown function, runner failure): a Lambda service error. */
function serviceErrorOutcome(error: unknown, functionName: string): TaskOutcome {
  const { name, message, statusCode } = error as { name?: string; message?: string; statusCode?: number };
  const code = name && name !== 'Error' ? name : 'AWSLambdaException';
  return {
    ok: false,
    error: `Lambda.${code}`,
    cause:
      `${message ?? `Could not invoke ${functionName}`} (Service: AWSLambda; Status Code: ${statusCode ?? (code === 'ResourceNotFoundException' ? 404 : 500)}; ` +
      `Error Code: ${code}; Request ID: ${crypto.randomUUID()}; Proxy: null)`,
  };
}

export class LambdaIntegration {
  constructor(
    private readonly lambda: LambdaInvoker,
    private readonly now: () => number,
  ) {}

  /**
   * `"Resource": "arn:aws:lambda:...:function:F"`: the parameters are the event, the result is the payload.
   * `traceHeader`: the execution's X-Ray trace, when its state machine has tracing enabled.
   */
  async invokeFunctionArn(functionArn: string, payload: unknown, traceHeader?: string): Promise<TaskOutcome> {
    let result: LambdaInvokeResult;
    try {
      result = await this.lambda.invoke(functionArn, payload ?? {}, { traceHeader });
    } catch (error) {
      return serviceErrorOutcome(error, functionArn);
    }
    return result.functionError ? functionErrorOutcome(result) : { ok: true, output: result.payload };
  }

  /** `arn:aws:states:::lambda:invoke[.waitForTaskToken]` */
  async invoke(resource: string, parameters: unknown, traceHeader?: string): Promise<TaskOutcome> {
    const invalid = checkParameters(resource, parameters, invokeFields);
    if (invalid) return invalid;
    const { FunctionName, Payload, InvocationType, Qualifier, LogType } = parameters as Record<string, unknown>;
    const functionName = Qualifier === undefined ? String(FunctionName) : `${FunctionName}:${Qualifier}`;
    const requestId = crypto.randomUUID();
    const executedVersion = typeof Qualifier === 'string' && /^\d+$/.test(Qualifier) ? Qualifier : '$LATEST';

    if (InvocationType === 'DryRun' || InvocationType === 'Event') {
      if (InvocationType === 'Event') {
        // Asynchronous invocation: Lambda accepts the event and the task does not wait for (or see) the result.
        this.lambda.invoke(functionName, Payload ?? {}, { traceHeader }).catch(() => undefined);
      }
      const statusCode = InvocationType === 'Event' ? 202 : 204;
      return { ok: true, output: this.response({ requestId, statusCode, payload: '', executedVersion }) };
    }

    let result: LambdaInvokeResult;
    try {
      result = await this.lambda.invoke(functionName, Payload ?? {}, { traceHeader });
    } catch (error) {
      return serviceErrorOutcome(error, functionName);
    }
    if (result.functionError) return functionErrorOutcome(result);
    const logResult =
      LogType === 'Tail' ? Buffer.from((result.logs ?? '').slice(-logTailBytes)).toString('base64') : undefined;
    return {
      ok: true,
      output: this.response({
        requestId,
        statusCode: result.statusCode,
        payload: result.payload,
        executedVersion,
        logResult,
      }),
    };
  }

  private response(options: {
    requestId: string;
    statusCode: number;
    payload: unknown;
    executedVersion: string;
    logResult?: string;
  }) {
    const body = options.payload === '' ? '' : JSON.stringify(options.payload ?? null);
    return {
      ExecutedVersion: options.executedVersion,
      ...(options.logResult !== undefined ? { LogResult: options.logResult } : {}),
      Payload: options.payload,
      ...responseMetadata({
        requestId: options.requestId,
        statusCode: options.statusCode,
        contentType: 'application/json',
        body,
        date: new Date(this.now()),
        extraHeaders: { 'X-Amz-Executed-Version': options.executedVersion, 'x-amzn-Remapped-Content-Length': '0' },
      }),
      StatusCode: options.statusCode,
    };
  }
}
