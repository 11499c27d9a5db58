/**
 * Loading a state machine: the definition parsed and validated like CreateStateMachine does, with its top-level
 * query language. Parsed machines are cached by definition text, so starting many executions of one machine
 * parses and validates it once.
 */
import type { Machine, MachineDefinition } from '../asl/machine';
import { DefinitionError } from '../validation/definition-error';
import { validateDefinition } from '../validation/validate';

const cache = new Map<string, Machine>();
/** Hosts usually start many executions from one definition object: found by identity, it skips serializing. */
const byObject = new WeakMap<object, { type: string; machine: Machine }>();
const MAX_CACHED = 200;

/** Parses and validates a definition; throws DefinitionError with AWS's diagnostics when it is invalid. */
export function loadMachine(definition: string | object, type: 'STANDARD' | 'EXPRESS'): Machine {
  if (typeof definition === 'object' && definition !== null) {
    const known = byObject.get(definition);
    if (known && known.type === type) return known.machine;
    const machine = loadByText(definition, type);
    byObject.set(definition, { type, machine });
    return machine;
  }
  return loadByText(definition, type);
}

function loadByText(definition: string | object, type: 'STANDARD' | 'EXPRESS'): Machine {
  const key = `${type}\u0000${typeof definition === 'string' ? definition : JSON.stringify(definition)}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const diagnostics = validateDefinition(definition, { type }).filter((d) => d.severity === 'ERROR');
  if (diagnostics.length > 0) throw new DefinitionError(diagnostics);
  const parsed = (
    typeof definition === 'string' ? JSON.parse(definition) : structuredClone(definition)
  ) as MachineDefinition;
  const machine: Machine = { definition: parsed, queryLanguage: parsed.QueryLanguage ?? 'JSONPath' };
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, machine);
  return machine;
}
