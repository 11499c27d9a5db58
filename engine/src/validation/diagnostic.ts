/** A problem found in a state machine definition, in the shape of ValidateStateMachineDefinition's diagnostics. */
export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  /** JSON-pointer-like path AWS reports, e.g. `/States/Wait/Timestamp`, `/States/C/Choices[0]/Next`. */
  location?: string;
}

export function error(code: string, message: string, location?: string): Diagnostic {
  return location === undefined ? { severity: 'ERROR', code, message } : { severity: 'ERROR', code, message, location };
}

export const SCHEMA_VALIDATION_FAILED = 'SCHEMA_VALIDATION_FAILED';

/**
 * CreateStateMachine's InvalidDefinition: AWS's message is
 * `Invalid State Machine Definition: '<CODE>: <message> at <location>, <CODE>: ...'`; a problem without a
 * location reads `at null` (AWS: "'MISSING_END_STATE: Workflow has no terminal state at null'").
 */
export class DefinitionError extends Error {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    const problems = diagnostics
      .filter((d) => d.severity === 'ERROR')
      .map((d) => `${d.code}: ${d.message} at ${d.location ?? 'null'}`);
    super(`Invalid State Machine Definition: '${problems.join(', ')}'`);
    this.name = 'DefinitionError';
    this.diagnostics = diagnostics;
  }
}
