/**
 * Choice: the first rule that holds picks the next state (and its own Assign/Output); none holding follows
 * Default with the state-level Assign, or fails (States.Runtime, as AWS records it).
 */
import type { ChoiceRule } from '../../asl/choice-rule';
import type { ChoiceState } from '../../asl/states';
import { ErrorNames } from '../../errors/error-names';
import { StatesError } from '../../errors/states-error';
import { pathEnv, statesBinding } from '../../execution/bindings';
import { exitState } from '../../execution/exit-state';
import type { StateRun, Transition } from '../../execution/state-run';
import { evaluateJsonataExpression, jsonataAssign, jsonataOutput } from '../../io/jsonata';
import { applyInputPath, applyOutputPath, jsonPathAssign } from '../../io/jsonpath';
import { expressionOf } from '../../jsonata/expression';
import { unexpectedType } from '../../jsonata/unexpected-type';
import { evaluateRule } from './rules';

async function jsonataCondition(state: StateRun<ChoiceState>, rule: ChoiceRule, index: number): Promise<boolean> {
  const condition = rule.Condition;
  const expression = expressionOf(condition);
  const field = `Choices/${index}/Condition`;
  const value =
    expression === undefined
      ? condition
      : await evaluateJsonataExpression(state, expression, 'Condition', statesBinding(state));
  if (typeof value !== 'boolean') {
    const error = unexpectedType(expression, field, 'boolean', value);
    throw new StatesError(error.error, error.cause);
  }
  return value;
}

/**
 * No rule held and there is no Default. The ASL specification names this States.NoChoiceMatched, but AWS records
 * States.Runtime with this text (tiny-asl-machine's AWS snapshots, engine/tests/conformance/cases-extra).
 */
function noMatch(): never {
  throw new StatesError(
    ErrorNames.Runtime,
    'Failed to transition out of the state. The state does not point to a next state.',
  );
}

export async function runChoice(state: StateRun<ChoiceState>): Promise<Transition> {
  const { def } = state;
  const choices: ChoiceRule[] = def.Choices ?? [];
  if (state.queryLanguage === 'JSONata') {
    const binding = statesBinding(state);
    for (let i = 0; i < choices.length; i++) {
      if (await jsonataCondition(state, choices[i], i)) {
        const assigned = await jsonataAssign(state, choices[i].Assign, binding);
        const output = await jsonataOutput(state, choices[i].Output, binding, state.input);
        return exitState(state, output, assigned, choices[i].Next);
      }
    }
    if (def.Default === undefined) noMatch();
    const assigned = await jsonataAssign(state, def.Assign, binding);
    const output = await jsonataOutput(state, def.Output, binding, state.input);
    return exitState(state, output, assigned, def.Default);
  }
  const effective = applyInputPath(state, state.input);
  state.run.testState?.record('afterInputPath', effective);
  const env = pathEnv(state, effective);
  const chosen = choices.find((rule) => evaluateRule(rule, env));
  if (!chosen && def.Default === undefined) noMatch();
  const assigned = jsonPathAssign(state, chosen ? chosen.Assign : def.Assign, effective);
  const output = applyOutputPath(state, effective);
  return exitState(state, output, assigned, chosen ? chosen.Next : def.Default);
}
