/**
 * SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: the callback pattern's answers, handed to the
 * engine, whose TaskError names (InvalidToken, TaskTimedOut, TaskDoesNotExist) are AWS's error codes.
 */
import { TaskError } from '@serverless-workflows/sfn-engine';
import type { OperationHandler } from '../context';
import { SfnApiError, invalidOutput } from '../errors';

/** The engine's TaskError carries AWS's code (its name) and message. */
function withTaskErrors(send: () => void): Record<string, never> {
  try {
    send();
  } catch (error) {
    if (error instanceof TaskError) throw new SfnApiError(error.name, error.message);
    throw error;
  }
  return {};
}

export const sendTaskSuccess: OperationHandler = ({ engine }, request) => {
  let output: unknown;
  try {
    output = JSON.parse(request.output as string);
  } catch (error) {
    throw invalidOutput((error as Error).message);
  }
  return withTaskErrors(() => engine.sendTaskSuccess(request.taskToken as string, output));
};

export const sendTaskFailure: OperationHandler = ({ engine }, request) =>
  withTaskErrors(() =>
    engine.sendTaskFailure(
      request.taskToken as string,
      request.error as string | undefined,
      request.cause as string | undefined,
    ),
  );

export const sendTaskHeartbeat: OperationHandler = ({ engine }, request) =>
  withTaskErrors(() => engine.sendTaskHeartbeat(request.taskToken as string));
