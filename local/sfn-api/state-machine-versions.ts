/**
 * State machine versions (PublishStateMachineVersion, `publish` on Create/UpdateStateMachine,
 * ListStateMachineVersions, DeleteStateMachineVersion, DescribeStateMachine of a version ARN), with AWS's rules as
 * LocalStack's AWS-validated test_sfn_api_versioning records them: versions are numbered 1, 2, ... per state
 * machine and a number is never reused after a deletion; publishing a revision that already has a version answers
 * that version (PublishStateMachineVersion is idempotent); `revisionId` must be the current revision
 * (ConflictException "Failed to publish the State Machine version for revision X. The current State Machine
 * revision is Y."); deleting an unknown version succeeds; a version an alias routes to cannot be deleted.
 */
import { stateMachineVersionArn, type ArnScope, parseQualifiedStateMachineArn } from './arns';
import { conflict, serviceQuotaExceeded, stateMachineDoesNotExist } from './errors';
import type { StateMachineRecord, StateMachineVersionRecord } from './model';
import type { StateMachines } from './state-machines';
import type { KeyedStore } from './store/keyed-store';

/** "Maximum number of published state machine versions: 1000 per state machine" (Step Functions service quotas). */
export const MAX_VERSIONS = 1000;

export class StateMachineVersions {
  private readonly versions = new Map<string, StateMachineVersionRecord>();

  constructor(
    readonly scope: ArnScope,
    private readonly stateMachines: StateMachines,
    private readonly store: KeyedStore<StateMachineVersionRecord>,
    private readonly now: () => number,
  ) {}

  restore(records: StateMachineVersionRecord[]): void {
    for (const record of records) this.versions.set(record.stateMachineVersionArn, record);
  }

  /** The version of a version ARN; StateMachineDoesNotExist (naming that ARN) when there is none. */
  get(arn: string): StateMachineVersionRecord {
    const version = this.versions.get(arn);
    if (!version) throw stateMachineDoesNotExist(arn);
    return version;
  }

  has(arn: string): boolean {
    return this.versions.has(arn);
  }

  /** A state machine's versions, newest first (as ListStateMachineVersions lists them). */
  of(stateMachineArn: string): StateMachineVersionRecord[] {
    return [...this.versions.values()]
      .filter((version) => version.stateMachineArn === stateMachineArn)
      .sort((a, b) => b.version - a.version);
  }

  /** Publishes the state machine's current revision, or answers the version that already holds it. */
  publish(
    stateMachineArn: string,
    options: { description?: string; revisionId?: string } = {},
  ): StateMachineVersionRecord {
    const machine = this.stateMachines.get(stateMachineArn);
    if (options.revisionId !== undefined && options.revisionId !== machine.revisionId) {
      throw conflict(
        `Failed to publish the State Machine version for revision ${options.revisionId}. The current State Machine revision is ${machine.revisionId ?? 'INITIAL'}.`,
      );
    }
    const versions = this.of(stateMachineArn);
    const published = versions.find((version) => version.revisionId === machine.revisionId);
    if (published) return published;
    if (versions.length >= MAX_VERSIONS) {
      throw serviceQuotaExceeded(
        `The state machine '${stateMachineArn}' already has ${MAX_VERSIONS} versions, the maximum: delete one before publishing another`,
      );
    }
    const number = (machine.lastVersion ?? 0) + 1;
    const record = versionOf(machine, number, this.now(), options.description);
    this.stateMachines.setLastVersion(stateMachineArn, number);
    this.store.put(record);
    this.versions.set(record.stateMachineVersionArn, record);
    return record;
  }

  /** Deletes a version (unknown ones included, as AWS does); `referencedBy` names the aliases that route to it. */
  delete(arn: string, referencedBy: string[]): void {
    parseQualifiedStateMachineArn(arn);
    if (!this.versions.has(arn)) return;
    if (referencedBy.length > 0) {
      throw conflict(
        `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${referencedBy.join(', ')}]`,
      );
    }
    this.store.delete(arn);
    this.versions.delete(arn);
  }

  /** Removes every version of a deleted state machine. */
  deleteAllOf(stateMachineArn: string): void {
    for (const version of this.of(stateMachineArn)) {
      this.store.delete(version.stateMachineVersionArn);
      this.versions.delete(version.stateMachineVersionArn);
    }
  }
}

function versionOf(
  machine: StateMachineRecord,
  version: number,
  now: number,
  description: string | undefined,
): StateMachineVersionRecord {
  const { definition, roleArn, loggingConfiguration, tracingConfiguration, revisionId, updateDate } = machine;
  return {
    stateMachineVersionArn: stateMachineVersionArn(machine.stateMachineArn, version),
    stateMachineArn: machine.stateMachineArn,
    version,
    definition,
    roleArn,
    loggingConfiguration,
    tracingConfiguration,
    ...(revisionId !== undefined ? { revisionId } : {}),
    updateDate,
    ...(description !== undefined ? { description } : {}),
    creationDate: now,
  };
}
