import type { Template } from './load';
import { LOCAL_PARAMETER_VALUES } from './local-parameters';

/**
 * Resolves CloudFormation intrinsic functions in template values to what they mean in the local cloud:
 * a table's Ref is its logical id (the local table name), a function's Arn is
 * arn:aws:lambda:<region>:123456789012:function:<LogicalId>, parameters take their local override, their local value
 * (local-parameters.ts) or Default,
 * conditions are evaluated. Written by hand because no maintained library resolves intrinsics outside
 * CloudFormation itself (cfn-resolver style packages are unmaintained and know nothing of SAM resource types).
 */

export const LOCAL_ACCOUNT_ID = '123456789012';
export const LOCAL_STACK_NAME = 'local';

export interface LocalNames {
  region: string;
  accountId?: string;
  stackName?: string;
  /** Parameter values that win over the template's Defaults. */
  parameterOverrides?: Record<string, string>;
}

/** A template value that cannot be resolved locally: names the intrinsic and why. */
export class IntrinsicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntrinsicError';
  }
}

/** Returned for `AWS::NoValue`: the property is dropped, as CloudFormation does. */
const NO_VALUE = Symbol('AWS::NoValue');

export class IntrinsicResolver {
  private readonly accountId: string;
  private readonly stackName: string;
  private readonly conditionCache = new Map<string, boolean>();

  constructor(
    private readonly template: Template,
    private readonly names: LocalNames,
  ) {
    this.accountId = names.accountId ?? LOCAL_ACCOUNT_ID;
    this.stackName = names.stackName ?? LOCAL_STACK_NAME;
  }

  /** Resolves every intrinsic inside `value`; properties resolving to AWS::NoValue disappear. */
  resolve(value: unknown): unknown {
    const resolved = this.walk(value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  /** The local ARN of a resource, by its type (what `!GetAtt X.Arn` gives). */
  arnOf(logicalId: string): string {
    const { region } = this.names;
    const type = this.resourceType(logicalId);
    switch (type) {
      case 'AWS::Serverless::Function':
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${this.accountId}:function:${logicalId}`;
      case 'AWS::Serverless::SimpleTable':
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${region}:${this.accountId}:table/${logicalId}`;
      case 'AWS::Serverless::StateMachine':
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${region}:${this.accountId}:stateMachine:${logicalId}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${this.accountId}:role/${logicalId}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${region}:${this.accountId}:${logicalId}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${region}:${this.accountId}:${logicalId}`;
      // The local Cognito service names its pools otherwise (local_...): the API Gateway emulator finds the pool an
      // authorizer names by the logical id at the end of this ARN.
      case 'AWS::Cognito::UserPool':
        return `arn:aws:cognito-idp:${region}:${this.accountId}:userpool/${logicalId}`;
      // CloudFormation's Arn of a log group ends in `:*` (AWS::Logs::LogGroup return values).
      case 'AWS::Logs::LogGroup': {
        const name = this.walk(this.template.Resources[logicalId].Properties?.LogGroupName) ?? logicalId;
        return `arn:aws:logs:${region}:${this.accountId}:log-group:${String(name)}:*`;
      }
      default:
        throw new IntrinsicError(`!GetAtt ${logicalId}.Arn: no local ARN for a resource of type ${type}`);
    }
  }

  /** Evaluates a named condition of the template's Conditions section. */
  condition(name: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new IntrinsicError(`condition ${name} is not defined in Conditions`);
    const result = this.truth(definition, `condition ${name}`);
    this.conditionCache.set(name, result);
    return result;
  }

  private walk(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.walk(item)).filter((item) => item !== NO_VALUE);
    }
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, argument] = entries[0];
      if (key === 'Ref') return this.ref(this.string(argument, 'Ref'));
      if (key.startsWith('Fn::')) return this.fn(key, argument);
    }
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const resolved = this.walk(item);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  private ref(name: string): unknown {
    switch (name) {
      case 'AWS::Region':
        return this.names.region;
      case 'AWS::AccountId':
        return this.accountId;
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.names.region}:${this.accountId}:stack/${this.stackName}/local`;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      const override = this.names.parameterOverrides?.[name] ?? LOCAL_PARAMETER_VALUES[name];
      if (override !== undefined) return override;
      if (parameter.Default === undefined) {
        throw new IntrinsicError(`!Ref ${name}: the parameter has no Default and no local override`);
      }
      return parameter.Default;
    }
    if (!this.template.Resources[name])
      throw new IntrinsicError(`!Ref ${name}: no parameter or resource has that name`);
    const type = this.resourceType(name);
    // A state machine's Ref is its ARN; everything else used here (tables, functions, APIs) is referred to by name.
    if (type === 'AWS::Serverless::StateMachine' || type === 'AWS::StepFunctions::StateMachine')
      return this.arnOf(name);
    return name;
  }

  private getAtt(logicalId: string, attribute: string): unknown {
    if (!this.template.Resources[logicalId])
      throw new IntrinsicError(`!GetAtt ${logicalId}.${attribute}: no resource has that name`);
    if (attribute === 'Arn') return this.arnOf(logicalId);
    if (attribute === 'Name' || attribute === 'StateMachineName') return logicalId;
    if (attribute === 'StreamArn') return `${this.arnOf(logicalId)}/stream/local`;
    throw new IntrinsicError(`!GetAtt ${logicalId}.${attribute}: attribute not available locally`);
  }

  private fn(key: string, argument: unknown): unknown {
    switch (key) {
      case 'Fn::GetAtt': {
        const parts = typeof argument === 'string' ? splitOnce(argument, '.') : (this.walk(argument) as unknown[]);
        if (!Array.isArray(parts) || parts.length !== 2)
          throw new IntrinsicError(`Fn::GetAtt needs [LogicalId, Attribute], got ${JSON.stringify(argument)}`);
        return this.getAtt(String(parts[0]), String(parts[1]));
      }
      case 'Fn::Sub':
        return this.sub(argument);
      case 'Fn::Join': {
        const [separator, items] = this.pair(argument, key);
        const list = this.walk(items);
        if (!Array.isArray(list)) throw new IntrinsicError('Fn::Join needs a list to join');
        return list.join(this.string(separator, key));
      }
      case 'Fn::Select': {
        const [index, items] = this.pair(argument, key);
        const list = this.walk(items);
        const position = Number(this.walk(index));
        if (!Array.isArray(list) || !Number.isInteger(position) || position < 0 || position >= list.length) {
          throw new IntrinsicError(`Fn::Select index ${String(index)} is out of range`);
        }
        return list[position];
      }
      case 'Fn::Split': {
        const [separator, text] = this.pair(argument, key);
        return this.string(this.walk(text), key).split(this.string(separator, key));
      }
      case 'Fn::If': {
        if (!Array.isArray(argument) || argument.length !== 3)
          throw new IntrinsicError('Fn::If needs [Condition, ValueIfTrue, ValueIfFalse]');
        return this.walk(this.condition(this.string(argument[0], key)) ? argument[1] : argument[2]);
      }
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        return this.truth({ [key]: argument }, key);
      case 'Fn::FindInMap': {
        const path = this.walk(argument);
        const mappings = (this.template as { Mappings?: Record<string, Record<string, Record<string, unknown>>> })
          .Mappings;
        if (!Array.isArray(path) || path.length !== 3)
          throw new IntrinsicError('Fn::FindInMap needs [MapName, TopLevelKey, SecondLevelKey]');
        const found = mappings?.[String(path[0])]?.[String(path[1])]?.[String(path[2])];
        if (found === undefined) throw new IntrinsicError(`Fn::FindInMap: ${path.join('.')} is not in Mappings`);
        return found;
      }
      case 'Fn::Base64':
        return Buffer.from(this.string(this.walk(argument), key)).toString('base64');
      case 'Fn::ToJsonString':
        return JSON.stringify(this.walk(argument));
      case 'Fn::GetAZs':
        return [`${this.names.region}a`, `${this.names.region}b`, `${this.names.region}c`];
      default:
        throw new IntrinsicError(`${key} is not supported by the local cloud`);
    }
  }

  private sub(argument: unknown): string {
    let text: unknown = argument;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(argument)) {
      [text] = argument;
      variables = (this.walk(argument[1]) ?? {}) as Record<string, unknown>;
    }
    const template = this.string(text, 'Fn::Sub');
    // ${!Literal} stays as the literal ${Literal}; ${Name} and ${Name.Attr} are a Ref and a GetAtt.
    return template.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      if (name in variables) return String(variables[name]);
      if (!name.startsWith('AWS::') && name.includes('.')) {
        const [logicalId, attribute] = splitOnce(name, '.');
        return String(this.getAtt(logicalId, attribute));
      }
      return String(this.ref(name));
    });
  }

  private truth(value: unknown, where: string): boolean {
    if (typeof value === 'boolean') return value;
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new IntrinsicError(`${where}: not a condition: ${JSON.stringify(value)}`);
    const [[key, argument]] = Object.entries(value as Record<string, unknown>);
    const list = (): unknown[] => {
      if (!Array.isArray(argument)) throw new IntrinsicError(`${where}: ${key} needs a list`);
      return argument;
    };
    switch (key) {
      case 'Condition':
        return this.condition(this.string(argument, where));
      case 'Fn::Equals': {
        const [a, b] = list().map((item) => this.walk(item));
        return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
      }
      case 'Fn::And':
        return list().every((item) => this.truth(item, where));
      case 'Fn::Or':
        return list().some((item) => this.truth(item, where));
      case 'Fn::Not':
        return !this.truth(list()[0], where);
      default:
        throw new IntrinsicError(`${where}: ${key} is not a condition function`);
    }
  }

  private resourceType(logicalId: string): string {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new IntrinsicError(`no resource ${logicalId} in the template`);
    return resource.Type;
  }

  private pair(argument: unknown, key: string): [unknown, unknown] {
    if (!Array.isArray(argument) || argument.length !== 2) throw new IntrinsicError(`${key} needs two arguments`);
    return [argument[0], argument[1]];
  }

  private string(value: unknown, where: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new IntrinsicError(`${where}: expected a string, got ${JSON.stringify(value)}`);
  }
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
