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
