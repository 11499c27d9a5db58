import { problem, type Problem } from '../../../scripts/lib/problems';
import { readStateMachineSources, type StateMachineSource } from '../../../scripts/lib/validate/state-machine-sources';
import { serverlessFunction } from '../functions';
import { IntrinsicError, IntrinsicResolver } from '../intrinsics';
import type { Template } from '../load';
import { restApiOperations } from './rest-api-operations';
import { isMapping, referencedNames } from './template-values';

/**
 * A method whose `aws` integration runs StartSyncExecution waits for the whole Express execution, and API Gateway
 * gives up at the integration's timeoutInMillis (29,000 ms unless set;
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html):
 * the caller is answered 504 while the execution goes on, and may still book the room. So the execution's worst
 * case must stay under that timeout.
 *
 * The worst case is an upper bound: the longest path from StartAt (through Next, Choices, Default and Catch) of the
 * states' own worst cases. A Task's is
 *
 *   (1 + Σ MaxAttempts) × attempt  +  Σ over its retriers Σ_{k=0}^{MaxAttempts-1} min(IntervalSeconds × BackoffRate^k, MaxDelaySeconds)
 *
 * with attempt = min(TimeoutSeconds, the invoked Lambda function's Timeout with Globals applied). Each retrier
 * counts its own attempts (errors matching different retriers can alternate and exhaust every one of them), waits
 * IntervalSeconds × BackoffRate^k before its k-th retry, capped at MaxDelaySeconds, and defaults to MaxAttempts 3,
 * IntervalSeconds 1, BackoffRate 2.0: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * ("Retrying after an error", "Complex retry scenarios"). JitterStrategy FULL only shortens the waits. A function's
 * Timeout defaults to 3 s: https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html. A Parallel
 * state counts its longest branch, a Wait its Seconds; Map states, loops and computed waits have no bound.
 */

const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;
const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;
const LAMBDA_INVOKE = /^arn:aws[\w-]*:states:::lambda:invoke/;

/** The worst case of a path: its seconds and, for the message, what each state on it adds. */
interface WorstCase {
  seconds: number;
  steps: string[];
}

/** Why a definition's worst case has no bound. */
class Unbounded extends Error {}

interface Machine {
  template: Template;
  source: StateMachineSource;
  resolver: IntrinsicResolver;
}

/** A state, a retrier, a branch of the definition as written: a member is checked where it is read. */
type Mapping = Record<string, unknown>;

const NOTHING: WorstCase = { seconds: 0, steps: [] };
const longer = (a: WorstCase, b: WorstCase) => (b.seconds > a.seconds ? b : a);
const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);

const nextOf = (rule: unknown) => (isMapping(rule) ? rule.Next : undefined);

function successors(state: Mapping): string[] {
  const choices: unknown[] = Array.isArray(state.Choices) ? state.Choices.map(nextOf) : [];
  const catches: unknown[] = Array.isArray(state.Catch) ? state.Catch.map(nextOf) : [];
  return [state.Next, ...choices, state.Default, ...catches].filter((next): next is string => typeof next === 'string');
}

/** `attempt` seconds, retried as the state's Retry allows. */
function retried(name: string, state: Mapping, attempt: number): WorstCase {
  let retries = 0;
  let backoff = 0;
  const retriers: unknown[] = Array.isArray(state.Retry) ? state.Retry : [];
  for (const written of retriers) {
    const retrier: Mapping = isMapping(written) ? written : {};
    const maxAttempts = numberOr(retrier.MaxAttempts, 3);
    const interval = numberOr(retrier.IntervalSeconds, 1);
    const rate = numberOr(retrier.BackoffRate, 2);
    const maxDelay = numberOr(retrier.MaxDelaySeconds, Infinity);
    retries += maxAttempts;
    for (let k = 0; k < maxAttempts; k++) backoff += Math.min(interval * rate ** k, maxDelay);
  }
  const attempts = 1 + retries;
  return {
    seconds: attempts * attempt + backoff,
    steps: [`${name}: ${attempts} attempts × ${attempt} s + ${backoff} s of back-off`],
  };
}

/** The Timeout of the template's Lambda function a Task invokes (through DefinitionSubstitutions), if it is one. */
function invokedFunctionTimeout(state: Mapping, { template, source, resolver }: Machine): number | undefined {
  const resource = String(state.Resource ?? '');
  const parameters = state.Parameters ?? state.Arguments;
  const target = LAMBDA_INVOKE.test(resource)
    ? isMapping(parameters)
      ? parameters.FunctionName
      : undefined
    : resource;
  if (typeof target !== 'string') return undefined;
  const placeholder = /^\$\{([^}]+)\}$/.exec(target)?.[1];
  try {
    const resolved = placeholder === undefined ? target : resolver.resolve(source.substitutions[placeholder]);
    if (typeof resolved !== 'string') return undefined;
    // `!GetAtt X.Arn` resolves to a function ARN ending in the logical id; `!Ref X` to the logical id itself.
    const logicalId = /:function:([^:]+)/.exec(resolved)?.[1] ?? resolved;
    const fn = template.Resources[logicalId];
    let timeout: unknown;
    if (fn?.Type === 'AWS::Serverless::Function') timeout = serverlessFunction(template, logicalId)!.properties.Timeout;
    else if (fn?.Type === 'AWS::Lambda::Function') timeout = fn.Properties?.Timeout;
    else return undefined;
    const seconds = Number(resolver.resolve(timeout ?? LAMBDA_DEFAULT_TIMEOUT_SECONDS));
    return Number.isFinite(seconds) ? seconds : undefined;
  } catch (error) {
    if (error instanceof IntrinsicError) return undefined;
    throw error;
  }
}

function stateWorstCase(name: string, state: Mapping, machine: Machine): WorstCase {
  switch (state.Type) {
    case 'Task': {
      const limits = [state.TimeoutSeconds, invokedFunctionTimeout(state, machine)].filter(
        (limit): limit is number => typeof limit === 'number',
      );
      if (limits.length === 0)
        throw new Unbounded(`${name} has no TimeoutSeconds and invokes no Lambda function of the template`);
      return retried(name, state, Math.min(...limits));
    }
    case 'Parallel': {
      const branches: unknown[] = Array.isArray(state.Branches) ? state.Branches : [];
      const longest = branches
        .map((branch) =>
          isMapping(branch)
            ? pathWorstCase(branch.StartAt, isMapping(branch.States) ? branch.States : {}, machine)
            : NOTHING,
        )
        .reduce(longer, NOTHING);
      return retried(name, state, longest.seconds);
    }
    case 'Wait':
      if (typeof state.Seconds !== 'number') throw new Unbounded(`${name} waits for a time computed at run time`);
      return { seconds: state.Seconds, steps: [`${name}: waits ${state.Seconds} s`] };
    case 'Map':
      throw new Unbounded(`${name} is a Map state, whose number of iterations is not known`);
    default:
      return NOTHING;
  }
}

/** The longest path from `start`; a state missing from `states` ends it (asl-validator reports the dangling name). */
function pathWorstCase(
  start: unknown,
  states: Mapping,
  machine: Machine,
  visiting = new Set<string>(),
  done = new Map<string, WorstCase>(),
): WorstCase {
  if (typeof start !== 'string') return NOTHING;
  const state = states[start];
  if (!isMapping(state)) return NOTHING;
  const known = done.get(start);
  if (known) return known;
  if (visiting.has(start)) throw new Unbounded(`it can loop back to ${start}`);
  visiting.add(start);
  const own = stateWorstCase(start, state, machine);
  const rest = successors(state)
    .map((next) => pathWorstCase(next, states, machine, visiting, done))
    .reduce(longer, NOTHING);
  visiting.delete(start);
  const worst = { seconds: own.seconds + rest.seconds, steps: [...own.steps, ...rest.steps] };
  done.set(start, worst);
  return worst;
}

export function checkSyncIntegrationTimeouts(template: Template, baseDir: string): Problem[] {
  const synchronous = restApiOperations(template).filter(
    ({ integration }) =>
      String(integration.type).toLowerCase() === 'aws' &&
      JSON.stringify(integration.uri ?? '').includes(':states:action/StartSyncExecution'),
  );
  if (synchronous.length === 0) return [];
  // A definition that cannot be read is reported where it is read (validate's DefinitionUnreadable, the local cloud's loading).
  const { sources } = readStateMachineSources(template, baseDir);
  const resolver = new IntrinsicResolver(template, { region: 'us-east-1' });
  const problems: Problem[] = [];
  for (const { integration, location, method, path } of synchronous) {
    const timeoutMs =
      integration.timeoutInMillis === undefined ? DEFAULT_INTEGRATION_TIMEOUT_MS : Number(integration.timeoutInMillis);
    const where = `${method} ${path} runs StartSyncExecution`;
    const machines = [...referencedNames(integration.requestTemplates)].filter((name) =>
      ['AWS::Serverless::StateMachine', 'AWS::StepFunctions::StateMachine'].includes(template.Resources[name]?.Type),
    );
    if (machines.length === 0) {
      problems.push(
        problem(
          'SyncIntegrationTimeout',
          location,
          `${where}, but its request template names no state machine of the template, so its worst case cannot be bounded`,
        ),
      );
    }
    for (const logicalId of machines) {
      const source = sources.find((candidate) => candidate.logicalId === logicalId);
      if (!source) {
        if (template.Resources[logicalId].Type === 'AWS::StepFunctions::StateMachine') {
          problems.push(
            problem(
              'SyncIntegrationTimeout',
              location,
              `${where} of ${logicalId}, an AWS::StepFunctions::StateMachine whose definition this check does not read, so its worst case cannot be bounded`,
            ),
          );
        }
        continue;
      }
      const machine: Machine = { template, source, resolver };
      try {
        const parsed: unknown = JSON.parse(source.text);
        const definition: Mapping = isMapping(parsed) ? parsed : {};
        const worst = pathWorstCase(definition.StartAt, isMapping(definition.States) ? definition.States : {}, machine);
        if (worst.seconds * 1000 < timeoutMs) continue;
        problems.push(
          problem(
            'SyncIntegrationTimeout',
            location,
            `${where} of ${logicalId} (${source.origin}), whose worst case is ${worst.seconds} s (${worst.steps.join('; ')}): not under the integration's ${timeoutMs / 1000} s timeout, so API Gateway would answer 504 while the execution goes on`,
          ),
        );
      } catch (error) {
        if (!(error instanceof Unbounded)) throw error;
        problems.push(
          problem(
            'SyncIntegrationTimeout',
            location,
            `${where} of ${logicalId} (${source.origin}), whose worst case has no bound: ${error.message}`,
          ),
        );
      }
    }
  }
  return problems;
}
