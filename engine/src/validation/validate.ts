/**
 * Validation of a state machine definition at creation time, with AWS's diagnostic codes and texts
 * (ValidateStateMachineDefinition's `diagnostics`; CreateStateMachine's InvalidDefinition message via
 * DefinitionError). Returns [] for a valid definition.
 */
import type { Diagnostic } from './diagnostic';
import { fieldChecks } from './fields';
import { jsonataExpressionChecks } from './jsonata-expressions';
import { parseDefinition } from './parse';
import { queryLanguageChecks } from './query-language';
import { aslValidatorErrors, stateStructure, topLevelStructure } from './structure';
import { transitionChecks } from './transitions';

export function validateDefinition(
  definition: string | object,
  options: { type?: 'STANDARD' | 'EXPRESS' } = {},
): Diagnostic[] {
  const parsed = parseDefinition(definition);
  if (!parsed.ok) return parsed.diagnostics;
  const top = topLevelStructure(parsed.definition);
  if (top.length) return top;
  const diagnostics = [
    ...queryLanguageChecks(parsed.definition),
    ...stateStructure(parsed.definition),
    ...jsonataExpressionChecks(parsed.definition),
    ...fieldChecks(parsed.definition, options),
    ...transitionChecks(parsed.definition),
  ];
  return [...diagnostics, ...aslValidatorErrors(parsed.definition, diagnostics)];
}
