/**
 * The state machines this API knows, kept in memory and written through to the StateMachineStore.
 * Creation and update rules follow AWS (docs/stepfunctions-local.md §2.3): definitions are validated by
 * the engine, CreateStateMachine is idempotent for an identical configuration, every update is a new revision.
 */
import crypto from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { validateDefinition, type Diagnostic } from '@serverless-workflows/sfn-engine';
import { parseStateMachineArn, stateMachineArn, type ArnScope } from './arns';
import {
  SfnApiError,
  invalidArn,
  invalidDefinition,
  stateMachineAlreadyExists,
  stateMachineDoesNotExist,
  validationException,
} from './errors';
import type { LoggingConfiguration, StateMachineRecord, StateMachineType } from './model';
import { assertValidName } from './names';
import type { StateMachineStore } from './store/state-machine-store';
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

const defaultLogging: LoggingConfiguration = { level: 'OFF', includeExecutionData: false };
const defaultTracing = { enabled: false };

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

/** Versions and aliases are not served locally; say so instead of pretending to publish. */
function assertNoPublishing(request: { publish?: boolean; versionDescription?: string }): void {
  if (request.versionDescription !== undefined && !request.publish) {
    throw validationException('Version description can only be set when publish is true');
  }
  if (request.publish)
    throw validationException('Publishing state machine versions is not supported by the local Step Functions API');
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

  /** The state machine of an unqualified ARN; InvalidArn or StateMachineDoesNotExist otherwise. */
  get(arn: string): StateMachineRecord {
    parseStateMachineArn(arn);
    const record = this.machines.get(arn);
    if (!record) throw stateMachineDoesNotExist(arn);
    return record;
  }

  list(): StateMachineRecord[] {
    return [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  create(request: CreateStateMachineRequest): { record: StateMachineRecord; created: boolean } {
    assertValidName(request.name);
    assertRoleArn(request.roleArn);
    assertNoPublishing(request);
    const type = request.type ?? 'STANDARD';
    const arn = stateMachineArn(this.scope, request.name);
    const loggingConfiguration = request.loggingConfiguration ?? defaultLogging;
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
      tags: request.tags ?? [],
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
    assertNoPublishing(request);
    if (roleArn !== undefined) assertRoleArn(roleArn);
    if (definition !== undefined) assertValidDefinition(definition, existing.type);
    const record: StateMachineRecord = {
      ...existing,
      definition: definition ?? existing.definition,
      roleArn: roleArn ?? existing.roleArn,
      loggingConfiguration: loggingConfiguration ?? existing.loggingConfiguration,
      tracingConfiguration: tracingConfiguration ?? existing.tracingConfiguration,
      encryptionConfiguration: encryptionConfiguration ?? existing.encryptionConfiguration,
      revisionId: crypto.randomUUID(),
      updateDate: this.now(),
    };
    this.store.put(record);
    this.machines.set(record.stateMachineArn, record);
    return record;
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

/** DescribeStateMachine's answer (also used by the local dashboard). */
export function describeStateMachine(record: StateMachineRecord) {
  return {
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: 'ACTIVE',
    definition: record.definition,
    roleArn: record.roleArn,
    type: record.type,
    creationDate: epochSeconds(record.creationDate),
    loggingConfiguration: record.loggingConfiguration,
    tracingConfiguration: record.tracingConfiguration,
    ...(record.encryptionConfiguration ? { encryptionConfiguration: record.encryptionConfiguration } : {}),
    ...(record.revisionId ? { revisionId: record.revisionId } : {}),
  };
}
