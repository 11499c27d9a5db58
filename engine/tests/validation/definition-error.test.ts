/** CreateStateMachine's InvalidDefinition message (validation/definition-error.ts). */
import { DefinitionError } from '../../src/validation/definition-error';
import type { Diagnostic } from '../../src/validation/diagnostic';
import { validateDefinition } from '../../src/validation/validate';

const E = (code: string, message: string, location?: string): Diagnostic =>
  location === undefined ? { severity: 'ERROR', code, message } : { severity: 'ERROR', code, message, location };
const SCHEMA = 'SCHEMA_VALIDATION_FAILED';
const machine = (states: object, top: object = {}) => ({ StartAt: Object.keys(states)[0], States: states, ...top });

describe('DefinitionError', () => {
  it("joins the problems in AWS's message", () => {
    const error = new DefinitionError(validateDefinition(machine({ A: { Type: 'Pass', Next: 'NOPE' } })));
    expect(error.message).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: NOPE at /States/A/Next, MISSING_END_STATE: Workflow has no terminal state at null'",
    );
    expect(error.diagnostics).toHaveLength(2);
    expect(error).toBeInstanceOf(Error);
    expect(new DefinitionError([E(SCHEMA, 'These fields are required: [States]', '/')]).message).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'",
    );
  });
});
