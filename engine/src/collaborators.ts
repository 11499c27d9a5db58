/**
 * The engine modules another engineer builds in parallel (intrinsic functions, AWS's JSONata functions,
 * definition validation), reached through this one file so the interpreter has a single seam to them.
 * Validation: TEMPORARY stand-in until engine/src/validation lands (then a re-export).
 */
export { isIntrinsic, evaluateIntrinsic } from './intrinsics';
export { bindStepFunctionsFunctions } from './jsonata/functions';

export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  location?: string;
}

export class DefinitionError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`Invalid State Machine Definition: '${diagnostics.map((d) => `${d.code}: ${d.message}`).join(', ')}'`);
    this.name = 'DefinitionError';
  }
}

export function validateDefinition(definition: string | object, options?: { type?: 'STANDARD' | 'EXPRESS' }): Diagnostic[] {
  void options;
  if (typeof definition === 'string') {
    try {
      JSON.parse(definition);
    } catch (error) {
      return [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: (error as Error).message }];
    }
  }
  return [];
}
