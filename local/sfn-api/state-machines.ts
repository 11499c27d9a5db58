/**
 * The state machines this API knows, kept in memory and written through to the StateMachineStore.
 * Creation and update rules follow AWS (docs/stepfunctions-local.md §2.3): definitions are validated by
 * the engine, CreateStateMachine is idempotent for an identical configuration, every update is a new revision.
 */
import crypto from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { validateDefinition, type Diagnostic } from '@serverless-workflows/sfn-engine';
import { parseQualifiedStateMachineArn, parseStateMachineArn, stateMachineArn, type ArnScope } from './arns';
import {
  SfnApiError,
  invalidArn,
  invalidDefinition,
  invalidLoggingConfiguration,
  stateMachineAlreadyExists,
  stateMachineDoesNotExist,
  validationException,
} from './errors';
import type { LoggingConfiguration, StateMachineRecord, StateMachineType, Tag } from './model';
import { assertValidName } from './names';
import type { StateMachineStore } from './store/state-machine-store';
import { checkedTags, mergedTags } from './tags';
import { epochSeconds } from './wire-format';

export interface CreateStateMachineRequest {
  name: string;
  definition: string;
  roleArn: string;
  type?: StateMachineType;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: { enabled?: boolean };
  encryptionConfiguration?: Record<string, unknown>;
  tags?: { key?: string; value?: string }[];
  publish?: boolean;
  versionDescription?: string;
}

export interface UpdateStateMachineRequest {
  stateMachineArn: string;
  definition?: string;
  roleArn?: string;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: { enabled?: boolean };
  encryptionConfiguration?: Record<string, unknown>;
  publish?: boolean;
  versionDescription?: string;
}

const defaultTracing = { enabled: false };

/**
 * A logging configuration as AWS keeps it: level OFF and includeExecutionData false unless given (an empty
 * `destinations` list is kept as given). A level other than OFF needs exactly one destination, as AWS answers
 * (LocalStack's AWS-validated test_sfn_api_logs: "Invalid Logging Configuration: Must specify exactly one Log
 * Destination."). There is no CloudWatch Logs locally, so the log group a destination names is not looked up.
 */
function loggingConfigurationOf(requested: LoggingConfiguration | undefined): LoggingConfiguration {
  const logging = { level: 'OFF', includeExecutionData: false, ...requested };
  if (logging.level !== 'OFF' && logging.destinations?.length !== 1) {
    throw invalidLoggingConfiguration('Must specify exactly one Log Destination.');
  }
  return logging;
}

/** AWS's wording: 'Invalid State Machine Definition: 'CODE: message at /location, ...''. */
export function definitionProblems(diagnostics: Diagnostic[]): string {
  return diagnostics
    .map(({ code, message, location }) => `${code}: ${message}${location ? ` at ${location}` : ''}`)
    .join(', ');
}

function assertValidDefinition(definition: string, type: StateMachineType): void {
  const errors = validateDefinition(definition, { type }).filter((diagnostic) => diagnostic.severity === 'ERROR');
  if (errors.length > 0) throw invalidDefinition(definitionProblems(errors));
}

/** IAM role ARNs are only checked for shape: there is no IAM locally. */
function assertRoleArn(roleArn: string): void {
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(roleArn)) throw invalidArn(roleArn);
}

function assertVersionDescription(request: { publish?: boolean; versionDescription?: string }): void {
  if (request.versionDescription !== undefined && !request.publish) {
    throw validationException('Version description can only be set when publish is true');
  }
}

export class StateMachines {
  private readonly machines = new Map<string, StateMachineRecord>();

  constructor(
    private readonly scope: ArnScope,
    private readonly store: StateMachineStore,
    private readonly now: () => number,
  ) {}

  /** Takes the state machines loaded from disk. */
  restore(records: StateMachineRecord[]): void {
    for (const record of records) this.machines.set(record.stateMachineArn, record);
  }

  /**
   * The state machine of an unqualified ARN; InvalidArn, or StateMachineDoesNotExist (for a version or alias ARN
   * too, as UpdateStateMachine answers one on AWS).
   */
  get(arn: string): StateMachineRecord {
    parseQualifiedStateMachineArn(arn);
    const record = this.machines.get(arn);
    if (!record) throw stateMachineDoesNotExist(arn);
    return record;
  }

  /** Whether the state machine of an unqualified ARN exists (it has not been deleted). */
  has(arn: string): boolean {
    return this.machines.has(arn);
  }

  list(): StateMachineRecord[] {
    return [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  create(request: CreateStateMachineRequest): { record: StateMachineRecord; created: boolean } {
    assertValidName(request.name);
    assertRoleArn(request.roleArn);
    assertVersionDescription(request);
    const type = request.type ?? 'STANDARD';
    const arn = stateMachineArn(this.scope, request.name);
    const loggingConfiguration = loggingConfigurationOf(request.loggingConfiguration);
    const tags = mergedTags(arn, [], checkedTags(request.tags ?? []));
    const tracingConfiguration = request.tracingConfiguration ?? defaultTracing;
    const existing = this.machines.get(arn);
    if (existing) {
      // Idempotent: the same configuration returns the existing state machine (roleArn and tags do not count).
      const same =
        existing.definition === request.definition &&
        existing.type === type &&
        isDeepStrictEqual(existing.loggingConfiguration, loggingConfiguration) &&
        isDeepStrictEqual(existing.tracingConfiguration, tracingConfiguration) &&
        isDeepStrictEqual(existing.encryptionConfiguration, request.encryptionConfiguration);
      if (!same) throw stateMachineAlreadyExists(arn);
      return { record: existing, created: false };
    }
    assertValidDefinition(request.definition, type);
    const now = this.now();
    const record: StateMachineRecord = {
      stateMachineArn: arn,
      name: request.name,
      type,
      definition: request.definition,
      roleArn: request.roleArn,
      loggingConfiguration,
      tracingConfiguration,
      encryptionConfiguration: request.encryptionConfiguration,
      tags,
      creationDate: now,
      updateDate: now,
    };
    this.store.put(record);
    this.machines.set(arn, record);
    return { record, created: true };
  }

  update(request: UpdateStateMachineRequest): StateMachineRecord {
    const existing = this.get(request.stateMachineArn);
    const { definition, roleArn, loggingConfiguration, tracingConfiguration, encryptionConfiguration } = request;
    if (
      [definition, roleArn, loggingConfiguration, tracingConfiguration, encryptionConfiguration].every(
        (member) => member === undefined,
      )
    ) {
      throw new SfnApiError(
        'MissingRequiredParameter',
        'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
      );
    }
    assertVersionDescription(request);
    if (roleArn !== undefined) assertRoleArn(roleArn);
    if (definition !== undefined) assertValidDefinition(definition, existing.type);
    const changed = {
      definition: definition ?? existing.definition,
      roleArn: roleArn ?? existing.roleArn,
      loggingConfiguration:
        loggingConfiguration !== undefined
          ? loggingConfigurationOf(loggingConfiguration)
          : existing.loggingConfiguration,
      tracingConfiguration: tracingConfiguration ?? existing.tracingConfiguration,
      encryptionConfiguration: encryptionConfiguration ?? existing.encryptionConfiguration,
    };
    // An update that changes nothing is no new revision (AWS keeps the revisionId, and publishing it again
    // answers the version already published: LocalStack's AWS-validated test_empty_revision_with_publish_*).
    if (
      Object.entries(changed).every(([key, value]) => isDeepStrictEqual(existing[key as keyof typeof changed], value))
    ) {
      return existing;
    }
    const record: StateMachineRecord = {
      ...existing,
      ...changed,
      revisionId: crypto.randomUUID(),
      updateDate: this.now(),
    };
    this.store.put(record);
    this.machines.set(record.stateMachineArn, record);
    return record;
  }

  /** Replaces a state machine's tags (TagResource, UntagResource). */
  setTags(arn: string, tags: Tag[]): void {
    this.replace({ ...this.get(arn), tags });
  }

  /** Records the number of the version just published (numbers are never reused). */
  setLastVersion(arn: string, lastVersion: number): void {
    this.replace({ ...this.get(arn), lastVersion });
  }

  private replace(record: StateMachineRecord): void {
    this.store.put(record);
    this.machines.set(record.stateMachineArn, record);
  }

  /** Removes the state machine; an unknown ARN is not an error (as in AWS). Returns the removed record. */
  delete(arn: string): StateMachineRecord | undefined {
    parseStateMachineArn(arn);
    const record = this.machines.get(arn);
    if (!record) return undefined;
    this.store.delete(arn);
    this.machines.delete(arn);
    return record;
  }
}

/**
 * DescribeStateMachine's answer (also used by the local dashboard). With includedData METADATA_ONLY AWS answers
 * "without the encrypted definition" (DescribeStateMachine's API reference): no `definition` member at all.
 */
export function describeStateMachine(record: StateMachineRecord, includeDefinition = true) {
  return {
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: 'ACTIVE',
    ...(includeDefinition ? { definition: record.definition } : {}),
    roleArn: record.roleArn,
    type: record.type,
    creationDate: epochSeconds(record.creationDate),
    loggingConfiguration: record.loggingConfiguration,
    tracingConfiguration: record.tracingConfiguration,
    ...(record.encryptionConfiguration ? { encryptionConfiguration: record.encryptionConfiguration } : {}),
    ...(record.revisionId ? { revisionId: record.revisionId } : {}),
  };
}
