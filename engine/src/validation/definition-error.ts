import type { Diagnostic } from './diagnostic';

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
