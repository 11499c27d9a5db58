/**
 * The template's EventBridge rules (AWS::Events::Rule on the default event bus), for the events the local cloud
 * emits: the Step Functions API's execution status changes (local/sfn-api/status-change-events.ts). A rule's
 * EventPattern is matched as EventBridge matches it, for the forms a pattern of exact values takes (each field a list
 * of values, nested objects for nested fields; an event array matches when any of its elements does); a content
 * filter ({prefix}, {anything-but}, {exists}, {numeric}, ...) is refused when the cloud starts, naming the rule, rather
 * than matched wrongly. Each target must be a function of the template: it is invoked with the event, its Input, or
 * what its InputTransformer makes of the event, asynchronously as EventBridge invokes Lambda, so an invocation that
 * fails is tried twice more (Lambda's retries of an asynchronous invocation) and then reported.
 */
import type { LambdaInvoker } from '../lambda-runner/index';
import { IntrinsicResolver, type LocalNames } from '../template/intrinsics';
import type { Template } from '../template/load';
import { resourcesOfType } from '../template/queries';

/** An event as EventBridge delivers it: at least source and detail-type, and the detail. */
export interface EventBridgeEvent {
  source: string;
  'detail-type': string;
}

/** A rule the local cloud cannot honour as AWS would: the start fails naming it. */
export class EventRuleError extends Error {
  override readonly name = 'EventRuleError';
}

interface Target {
  id: string;
  functionArn: string;
  /** What the function receives for an event. */
  input(event: EventBridgeEvent): unknown;
}

interface Rule {
  logicalId: string;
  pattern: Record<string, unknown>;
  targets: Target[];
}

/** Invocations of one event's target: the first and Lambda's two retries of an asynchronous invocation. */
const ATTEMPTS = 3;

const functionArn = /^arn:aws:lambda:[^:]+:\d{12}:function:[^:]+$/;

export class LocalEventRules {
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    private readonly rules: Rule[],
    private readonly lambda: LambdaInvoker,
    private readonly report: (message: string) => void,
  ) {}

  /** The enabled rules of the template (with their conditions and intrinsics resolved as the local cloud does). */
  static fromTemplate(
    template: Template,
    names: LocalNames,
    lambda: LambdaInvoker,
    report: (message: string) => void,
  ): LocalEventRules {
    const resolver = new IntrinsicResolver(template, names);
    const rules: Rule[] = [];
    for (const { logicalId, resource } of resourcesOfType(template, 'AWS::Events::Rule')) {
      if (typeof resource.Condition === 'string' && !resolver.condition(resource.Condition)) continue;
      const properties = (resolver.resolve(resource.Properties ?? {}) ?? {}) as Record<string, unknown>;
      if ((properties.State ?? 'ENABLED') !== 'ENABLED') continue;
      if (properties.EventBusName !== undefined && properties.EventBusName !== 'default')
        throw new EventRuleError(`${logicalId}: only rules on the default event bus get events locally`);
      if (!isObject(properties.EventPattern))
        throw new EventRuleError(`${logicalId}: only rules with an EventPattern get events locally (no schedules)`);
      checkPattern(logicalId, properties.EventPattern, 'EventPattern');
      const targets = ((properties.Targets as unknown[]) ?? []).map((target) => readTarget(logicalId, target));
      rules.push({ logicalId, pattern: properties.EventPattern, targets });
    }
    return new LocalEventRules(rules, lambda, report);
  }

  /** The rules' logical ids, in template order. */
  get ruleIds(): string[] {
    return this.rules.map((rule) => rule.logicalId);
  }

  /**
   * Delivers `event` to the targets of every rule it matches, in the background (EventBridge does not wait for its
   * targets either); the returned promise settles once each delivery is done, for a caller that wants to know.
   */
  publish(event: EventBridgeEvent): Promise<void> {
    const deliveries = this.rules
      .filter((rule) => matches(rule.pattern, event))
      .flatMap((rule) => rule.targets.map((target) => this.deliver(rule, target, event)));
    return Promise.all(deliveries).then(() => undefined);
  }

  /** Waits for every delivery still in flight (the local cloud's stop, before the Lambda runner goes). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private deliver(rule: Rule, target: Target, event: EventBridgeEvent): Promise<void> {
    const delivery = (async () => {
      let failure = '';
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          const result = await this.lambda.invoke(target.functionArn, target.input(event));
          if (!result.functionError) return;
          const payload = result.payload as { errorType?: string; errorMessage?: string } | undefined;
          failure = `${payload?.errorType ?? 'Error'}: ${payload?.errorMessage ?? ''}`;
        } catch (error) {
          failure = (error as Error).message;
        }
      }
      this.report(
        `EventBridge rule ${rule.logicalId}: target ${target.id} failed ${ATTEMPTS} times for ${event['detail-type']} (${failure}); the event is dropped`,
      );
    })();
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
    return delivery;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A pattern of exact values: every leaf a non-empty list of strings, numbers, booleans or nulls. */
function checkPattern(logicalId: string, pattern: Record<string, unknown>, where: string): void {
  for (const [field, value] of Object.entries(pattern)) {
    if (isObject(value)) {
      checkPattern(logicalId, value, `${where}.${field}`);
      continue;
    }
    if (!Array.isArray(value) || value.length === 0)
      throw new EventRuleError(`${logicalId}: ${where}.${field} must be a non-empty list of values`);
    if (value.some((item) => typeof item === 'object' && item !== null))
      throw new EventRuleError(
        `${logicalId}: ${where}.${field} uses a content filter, which the local cloud does not match; list exact values instead`,
      );
  }
}

/** EventBridge's matching of a pattern of exact values. */
export function matches(pattern: Record<string, unknown>, event: unknown): boolean {
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([field, expected]) => {
    if (!Object.hasOwn(event, field)) return false;
    const actual = event[field];
    if (isObject(expected)) return matches(expected, actual);
    const values = expected as unknown[];
    return Array.isArray(actual) ? actual.some((item) => values.includes(item)) : values.includes(actual);
  });
}

function readTarget(logicalId: string, value: unknown): Target {
  if (!isObject(value)) throw new EventRuleError(`${logicalId}: a target must be an object`);
  const { Id, Arn, Input, InputPath, InputTransformer } = value;
  if (typeof Arn !== 'string' || !functionArn.test(Arn))
    throw new EventRuleError(
      `${logicalId}: target ${String(Id)} is not a Lambda function; only functions get events locally`,
    );
  const id = String(Id);
  if (Input !== undefined) {
    const constant = JSON.parse(String(Input)) as unknown;
    return { id, functionArn: Arn, input: () => constant };
  }
  if (InputPath !== undefined) return { id, functionArn: Arn, input: (event) => atPath(event, String(InputPath)) };
  if (isObject(InputTransformer)) return { id, functionArn: Arn, input: transformer(logicalId, InputTransformer) };
  return { id, functionArn: Arn, input: (event) => event };
}

/** A JSON path of field names (`$.detail.name`), as InputPath and InputPathsMap take them; undefined when absent. */
function atPath(event: unknown, path: string): unknown {
  if (path === '$') return event;
  if (!path.startsWith('$.')) throw new EventRuleError(`the path ${path} must start with $.`);
  let value: unknown = event;
  for (const field of path.slice(2).split('.')) {
    if (!isObject(value) || !Object.hasOwn(value, field)) return undefined;
    value = value[field];
  }
  return value;
}

/**
 * An InputTransformer: each `<name>` of InputTemplate replaced by the value its InputPathsMap path finds in the
 * event, as EventBridge does for a JSON template: inside a JSON string the value's text (a string as it is, anything
 * else as JSON), escaped for that string; elsewhere the value as JSON (a missing one is null). The result is parsed,
 * so a template that is not JSON fails loudly.
 */
function transformer(logicalId: string, { InputPathsMap, InputTemplate }: Record<string, unknown>) {
  if (typeof InputTemplate !== 'string')
    throw new EventRuleError(`${logicalId}: InputTransformer needs an InputTemplate`);
  const paths = (isObject(InputPathsMap) ? InputPathsMap : {}) as Record<string, string>;
  return (event: EventBridgeEvent): unknown => {
    let text = '';
    let inString = false;
    for (let at = 0; at < InputTemplate.length; at++) {
      const char = InputTemplate[at];
      const placeholder = char === '<' ? /^<([A-Za-z0-9_.-]+)>/.exec(InputTemplate.slice(at)) : null;
      if (placeholder && Object.hasOwn(paths, placeholder[1])) {
        const value = atPath(event, paths[placeholder[1]]) ?? null;
        text += inString
          ? JSON.stringify(typeof value === 'string' ? value : JSON.stringify(value)).slice(1, -1)
          : JSON.stringify(value);
        at += placeholder[0].length - 1;
        continue;
      }
      if (char === '"') inString = !inString;
      if (char === '\\' && inString) {
        text += char + (InputTemplate[at + 1] ?? '');
        at++;
        continue;
      }
      text += char;
    }
    return JSON.parse(text) as unknown;
  };
}
