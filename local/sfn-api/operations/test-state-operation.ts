/**
 * TestState: one state run once by the engine (its test-state module), a mocked Task result checked against its
 * service's API first (mock-result-shapes.ts). The engine's TestStateError carries AWS's code and message.
 */
import { TestStateError, type TestStateRequest } from '@serverless-workflows/sfn-engine';
import type { OperationHandler } from '../context';
import { SfnApiError } from '../errors';
import { validateMockResult } from '../mock-result-shapes';

export const testStateOperation: OperationHandler = async ({ engine }, request) => {
  try {
    return await engine.testState(request as unknown as TestStateRequest, validateMockResult);
  } catch (error) {
    if (error instanceof TestStateError) throw new SfnApiError(error.code, error.message);
    throw error;
  }
};
