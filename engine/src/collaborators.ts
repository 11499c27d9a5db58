/**
 * The engine modules another engineer builds in parallel (intrinsic functions, AWS's JSONata functions,
 * definition validation), reached through this one file so the interpreter has a single seam to them.
 * TEMPORARY stand-ins until those modules land; replaced by re-exports then.
 */
import type jsonata from 'jsonata';
import { StatesError } from './errors';

export function isIntrinsic(value: string): boolean {
  return /^States\.[A-Za-z0-9]+\(/.test(value.trim());
}

export function evaluateIntrinsic(expression: string, resolvePath: (path: string) => unknown): unknown {
  void resolvePath;
  throw new StatesError('States.Runtime', `Intrinsic functions are not available yet: ${expression}`);
}

export function bindStepFunctionsFunctions(expression: jsonata.Expression): void {
  void expression;
}

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
