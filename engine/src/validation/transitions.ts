/**
 * Transition checks with AWS's codes and texts (measured on AWS, floci's validation tests and the AWS
 * snapshots of tiny-asl-machine): "Missing 'Next' target: X" at the field naming it, `State "X" is not
 * reachable.` at the state (both MISSING_TRANSITION_TARGET), "Workflow has no terminal state"
 * (MISSING_END_STATE, top level only, no location; it replaces the top level's unreachable-state reports),
 * and "States.ALL must appear alone and at end of list" for Retry and Catch.
 */
import { error, SCHEMA_VALIDATION_FAILED, type Diagnostic } from './diagnostic';
import { allContainers, isObject, type Container, type Json } from './walk';

interface Target {
  name: unknown;
  location: string;
}

function targetsOf(state: Json, location: string): Target[] {
  const targets: Target[] = [];
  if (state.Next !== undefined) targets.push({ name: state.Next, location: `${location}/Next` });
  if (state.Default !== undefined) targets.push({ name: state.Default, location: `${location}/Default` });
  for (const field of ['Choices', 'Catch']) {
    const rules = state[field];
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule, i) => {
      if (isObject(rule) && rule.Next !== undefined)
        targets.push({ name: rule.Next, location: `${location}/${field}[${i}]/Next` });
    });
  }
  return targets;
}

function isTerminal(state: unknown): boolean {
  return isObject(state) && (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail');
}

function containerChecks(container: Container, reportUnreachable: boolean): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const exists = (name: unknown): name is string => typeof name === 'string' && Object.hasOwn(container.states, name);
  const startLocation = `${container.location}/StartAt`;
  if (container.startAt !== undefined && !exists(container.startAt)) {
    diagnostics.push(
      error('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${String(container.startAt)}`, startLocation),
    );
  }
  for (const [name, state] of Object.entries(container.states)) {
    if (!isObject(state)) continue;
    for (const target of targetsOf(state, `${container.location}/States/${name}`)) {
      if (!exists(target.name))
        diagnostics.push(
          error('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${String(target.name)}`, target.location),
        );
    }
  }
  if (reportUnreachable) {
    const reached = new Set<string>();
    const pending = exists(container.startAt) ? [container.startAt] : [];
    while (pending.length) {
      const name = pending.pop()!;
      if (reached.has(name)) continue;
      reached.add(name);
      const state = container.states[name];
      if (isObject(state))
        for (const target of targetsOf(state, '')) if (exists(target.name)) pending.push(target.name);
    }
    for (const name of Object.keys(container.states)) {
      if (!reached.has(name))
        diagnostics.push(
          error(
            'MISSING_TRANSITION_TARGET',
            `State "${name}" is not reachable.`,
            `${container.location}/States/${name}`,
          ),
        );
    }
  }
  return diagnostics;
}

function statesAllChecks(container: Container): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [name, state] of Object.entries(container.states)) {
    if (!isObject(state)) continue;
    for (const field of ['Retry', 'Catch']) {
      const rules = state[field];
      if (!Array.isArray(rules)) continue;
      rules.forEach((rule, i) => {
        const errors = isObject(rule) && Array.isArray(rule.ErrorEquals) ? rule.ErrorEquals : [];
        if (errors.includes('States.ALL') && (errors.length > 1 || i !== rules.length - 1)) {
          diagnostics.push(
            error(
              SCHEMA_VALIDATION_FAILED,
              'States.ALL must appear alone and at end of list',
              `${container.location}/States/${name}/${field}[${i}]/ErrorEquals`,
            ),
          );
        }
      });
    }
  }
  return diagnostics;
}

/** State names must be unique in the whole machine, nested states included (ASL spec). */
function duplicateNames(containers: Container[]): Diagnostic[] {
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const container of containers) {
    for (const name of Object.keys(container.states)) {
      if (seen.has(name))
        diagnostics.push(
          error(SCHEMA_VALIDATION_FAILED, `Duplicate State name: ${name}`, `${container.location}/States/${name}`),
        );
      seen.add(name);
    }
  }
  return diagnostics;
}

export function transitionChecks(definition: Json): Diagnostic[] {
  const containers = allContainers(definition);
  const diagnostics: Diagnostic[] = [];
  const trailing: Diagnostic[] = [];
  for (const container of containers) {
    const top = container.location === '';
    const noTerminal = top && !Object.values(container.states).some(isTerminal);
    diagnostics.push(...containerChecks(container, !noTerminal), ...statesAllChecks(container));
    if (noTerminal) trailing.push(error('MISSING_END_STATE', 'Workflow has no terminal state'));
  }
  return [...diagnostics, ...duplicateNames(containers), ...trailing];
}
