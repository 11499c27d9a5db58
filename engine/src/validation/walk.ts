/**
 * Visits every state of a definition, nested ones included, with the location AWS reports for it and the
 * query language it evaluates with. Measured on AWS (floci's validation tests): a state's language is its
 * own QueryLanguage, else the whole machine's; a Map's or Parallel's own QueryLanguage does not reach the
 * states inside it. Only the exact string "JSONPath" means JSONPath; any other value means JSONata.
 */
import type { QueryLanguage } from '../asl/query-language';

export type Json = Record<string, unknown>;

export interface StateVisit {
  name: string;
  state: Json;
  /** e.g. `/States/M/ItemProcessor/States/P` */
  location: string;
  queryLanguage: QueryLanguage;
  /** The container (top level, branch or item processor) the state belongs to. */
  container: Container;
}

export interface Container {
  location: string; // '' for the top level
  startAt: unknown;
  states: Json;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function languageOf(value: unknown): QueryLanguage {
  return value === 'JSONPath' ? 'JSONPath' : 'JSONata';
}

export function machineLanguage(definition: Json): QueryLanguage {
  return definition.QueryLanguage === undefined ? 'JSONPath' : languageOf(definition.QueryLanguage);
}

function stateLanguage(state: Json, machine: QueryLanguage): QueryLanguage {
  return state.QueryLanguage === undefined ? machine : languageOf(state.QueryLanguage);
}

/** The nested containers of a state: Parallel branches and a Map's ItemProcessor (or legacy Iterator). */
function nestedContainers(state: Json, location: string): Container[] {
  const containers: Container[] = [];
  if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
    state.Branches.forEach((branch, i) => {
      if (isObject(branch) && isObject(branch.States)) {
        containers.push({ location: `${location}/Branches[${i}]`, startAt: branch.StartAt, states: branch.States });
      }
    });
  }
  if (state.Type === 'Map') {
    for (const field of ['ItemProcessor', 'Iterator']) {
      const processor = state[field];
      if (isObject(processor) && isObject(processor.States)) {
        containers.push({ location: `${location}/${field}`, startAt: processor.StartAt, states: processor.States });
      }
    }
  }
  return containers;
}

function topContainer(definition: Json): Container | undefined {
  return isObject(definition.States)
    ? { location: '', startAt: definition.StartAt, states: definition.States }
    : undefined;
}

/** Every container, depth first, top level first. */
export function allContainers(definition: Json): Container[] {
  const top = topContainer(definition);
  if (!top) return [];
  const out: Container[] = [];
  const visit = (container: Container): void => {
    out.push(container);
    for (const [name, state] of Object.entries(container.states)) {
      if (isObject(state)) nestedContainers(state, `${container.location}/States/${name}`).forEach(visit);
    }
  };
  visit(top);
  return out;
}

export function allStates(definition: Json): StateVisit[] {
  const machine = machineLanguage(definition);
  const visits: StateVisit[] = [];
  for (const container of allContainers(definition)) {
    for (const [name, state] of Object.entries(container.states)) {
      if (!isObject(state)) continue;
      visits.push({
        name,
        state,
        location: `${container.location}/States/${name}`,
        queryLanguage: stateLanguage(state, machine),
        container,
      });
    }
  }
  return visits;
}
