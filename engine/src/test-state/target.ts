/**
 * The state a TestState call tests: the definition is one state (AWS names it "StateName" and validates it as a
 * machine of that one state, whose Next may name a state the definition does not have), or, with `stateName`, a
 * whole state machine in which the named state is found (also inside a Parallel branch or a Map's processor, with
 * the query language it inherits there).
 */
import type { QueryLanguage } from '../asl/query-language';
import type { StateBlock, StateDefinition } from '../asl/states';
import { isPlainObject } from '../json/objects';
import { DefinitionError } from '../validation/definition-error';
import type { Diagnostic } from '../validation/diagnostic';
import { validateDefinition } from '../validation/validate';
import { TestStateError } from './errors';

/** The name AWS gives the state of a one-state definition (its diagnostics say `/States/StateName/...`). */
export const SINGLE_STATE_NAME = 'StateName';

export interface TestTarget {
  name: string;
  def: StateDefinition;
  /** The states beside it (a one-state definition: itself alone). */
  states: Record<string, StateDefinition>;
  queryLanguage: QueryLanguage;
}

/** Within the tested state itself, a transition to a state the definition lacks is what a one-state test allows. */
function nestedLocation(location: string | undefined): boolean {
  return location !== undefined && /\/(Branches|ItemProcessor|Iterator)\b/.test(location);
}

/**
 * The states inside a tested Map or Parallel never run (TestState mocks them), and AWS does not ask that their
 * Resource names a real one: LocalStack's recordings test a Map whose processor calls
 * `arn:aws:lambda:your-region:your-account-id:function:yourHelloWorldFunction`.
 */
function unrecognisedNestedResource(d: Diagnostic): boolean {
  return nestedLocation(d.location) && /\/Resource$/.test(d.location ?? '') && d.message.includes('is not recognized');
}

/**
 * Definitions found valid, by text: unit tests ask TestState of one definition's states many times, and validating
 * a definition (the ASL schema above all) costs far more than running one state. Bounded like load-machine.ts's.
 */
const valid = new Set<string>();
const MAX_REMEMBERED = 200;

function checked(definition: unknown, singleState: boolean): void {
  const key = `${singleState}\u0000${typeof definition === 'string' ? definition : JSON.stringify(definition)}`;
  if (valid.has(key)) return;
  let diagnostics: Diagnostic[] = validateDefinition(definition as object).filter(
    (d) => d.severity === 'ERROR' && !unrecognisedNestedResource(d),
  );
  if (singleState) {
    diagnostics = diagnostics.filter(
      (d) => d.code !== 'MISSING_END_STATE' && !(d.code === 'MISSING_TRANSITION_TARGET' && !nestedLocation(d.location)),
    );
  }
  if (diagnostics.length > 0) throw new TestStateError('InvalidDefinition', new DefinitionError(diagnostics).message);
  if (valid.size >= MAX_REMEMBERED) valid.delete(valid.values().next().value as string);
  valid.add(key);
}

function find(
  block: StateBlock,
  name: string,
  language: QueryLanguage,
): { block: StateBlock; language: QueryLanguage } | undefined {
  const own = block.QueryLanguage ?? language;
  if (Object.hasOwn(block.States, name)) return { block, language: own };
  for (const def of Object.values(block.States)) {
    const inner = def.QueryLanguage ?? own;
    const nested: StateBlock[] =
      def.Type === 'Parallel'
        ? def.Branches
        : def.Type === 'Map'
          ? [(def.ItemProcessor ?? def.Iterator) as StateBlock]
          : [];
    for (const child of nested) {
      const found = isPlainObject(child) ? find(child as StateBlock, name, inner) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

export function testTarget(definitionText: string, stateName: string | undefined): TestTarget {
  let parsed: unknown;
  try {
    parsed = JSON.parse(definitionText);
  } catch {
    // The validator words an unparsable definition as AWS does.
    checked(definitionText, false);
    throw new TestStateError('InvalidDefinition', 'Invalid State Machine Definition');
  }
  if (stateName === undefined) {
    const machine = isPlainObject(parsed)
      ? { StartAt: SINGLE_STATE_NAME, States: { [SINGLE_STATE_NAME]: parsed } }
      : parsed;
    checked(machine, true);
    const def = parsed as unknown as StateDefinition;
    return { name: SINGLE_STATE_NAME, def, states: { [SINGLE_STATE_NAME]: def }, queryLanguage: 'JSONPath' };
  }
  checked(parsed, false);
  const machine = parsed as StateBlock;
  const found = find(machine, stateName, 'JSONPath');
  if (!found) throw new TestStateError('ValidationException', 'State not found in definition');
  return {
    name: stateName,
    def: found.block.States[stateName],
    states: found.block.States,
    queryLanguage: found.language,
  };
}
