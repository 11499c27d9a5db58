/**
 * Choice: the first rule that holds picks the next state (and its own Assign/Output); none holding follows
 * Default with the state-level Assign, or fails with States.NoChoiceMatched.
 */
import { evaluateRule, type ChoiceRule } from '../choice-rules';
import { StatesError } from '../errors';
import { Failure } from '../failure';
import { exitState, pathEnv, statesBinding, type StateRun, type Transition } from '../interpreter';
import { applyInputPath, applyOutputPath, evaluateJsonataExpression, jsonataAssign, jsonataOutput, jsonPathAssign } from '../io';
import { expressionOf, unexpectedType } from '../jsonata/evaluate';

async function jsonataCondition(state: StateRun, rule: ChoiceRule, index: number): Promise<boolean> {
  const condition = rule.Condition;
  const expression = expressionOf(condition);
  const field = `Choices/${index}/Condition`;
  const value = expression === undefined ? condition : await evaluateJsonataExpression(state, expression, 'Condition', statesBinding(state));
  if (typeof value !== 'boolean') {
    const error = unexpectedType(expression, field, 'boolean', value);
    throw new StatesError(error.error, error.cause);
  }
  return value;
}

function noMatch(state: StateRun): never {
  throw new Failure('States.NoChoiceMatched', `No Matches! in state ${state.name}`);
}

export async function runChoice(state: StateRun): Promise<Transition> {
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
    if (def.Default === undefined) noMatch(state);
    const assigned = await jsonataAssign(state, def.Assign, binding);
    const output = await jsonataOutput(state, def.Output, binding, state.input);
    return exitState(state, output, assigned, def.Default);
  }
  const effective = applyInputPath(state, state.input);
  const env = pathEnv(state, effective);
  const chosen = choices.find((rule) => evaluateRule(rule, env));
  if (!chosen && def.Default === undefined) noMatch(state);
  const assigned = jsonPathAssign(state, chosen ? chosen.Assign : def.Assign, effective);
  const output = applyOutputPath(state, effective);
  return exitState(state, output, assigned, chosen ? chosen.Next : def.Default);
}
