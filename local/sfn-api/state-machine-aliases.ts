/**
 * State machine aliases (Create/Describe/Update/Delete/ListStateMachineAliases) and how an alias routes a start to
 * one of its versions. AWS's rules and words as LocalStack's AWS-validated test_sfn_api_aliasing records them:
 * routing names one or two distinct version ARNs whose weights sum to 100; a create that repeats the same name,
 * description and routing answers the existing alias, a different one is a ConflictException; an unknown alias is
 * ResourceNotFound "Request references a resource that does not exist."; deleting an unknown alias succeeds.
 * "You can create up to 100 aliases for each state machine" (CreateStateMachineAlias API reference).
 */
import { isDeepStrictEqual } from 'node:util';
import { parseQualifiedStateMachineArn, stateMachineAliasArn } from './arns';
import { conflict, resourceNotFound, serviceQuotaExceeded, validationException } from './errors';
import type { RoutingConfigurationItem, StateMachineAliasRecord } from './model';
import type { StateMachineVersions } from './state-machine-versions';
import type { KeyedStore } from './store/keyed-store';

export const MAX_ALIASES = 100;

const noSuchAlias = () => resourceNotFound('Request references a resource that does not exist.');

/** Chooses a version by weight: `random()` in [0, 1) (Math.random; tests inject their own). */
export function chooseVersion(routing: readonly RoutingConfigurationItem[], random: () => number): string {
  let point = random() * 100;
  for (const item of routing) {
    if (point < item.weight) return item.stateMachineVersionArn;
    point -= item.weight;
  }
  return routing.filter((item) => item.weight > 0).at(-1)!.stateMachineVersionArn;
}

export class StateMachineAliases {
  private readonly aliases = new Map<string, StateMachineAliasRecord>();

  constructor(
    private readonly versions: StateMachineVersions,
    private readonly store: KeyedStore<StateMachineAliasRecord>,
    private readonly now: () => number,
  ) {}

  restore(records: StateMachineAliasRecord[]): void {
    for (const record of records) this.aliases.set(record.stateMachineAliasArn, record);
  }

  get(arn: string): StateMachineAliasRecord {
    parseQualifiedStateMachineArn(arn);
    const alias = this.aliases.get(arn);
    if (!alias) throw noSuchAlias();
    return alias;
  }

  find(arn: string): StateMachineAliasRecord | undefined {
    return this.aliases.get(arn);
  }

  /** A state machine's aliases, by name. */
  of(stateMachineArn: string): StateMachineAliasRecord[] {
    return [...this.aliases.values()]
      .filter((alias) => alias.stateMachineArn === stateMachineArn)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The names of the aliases that route to a version (DeleteStateMachineVersion's conflict). */
  referencing(versionArn: string): string[] {
    return [...this.aliases.values()]
      .filter((alias) => alias.routingConfiguration.some((item) => item.stateMachineVersionArn === versionArn))
      .map((alias) => alias.name);
  }

  create(request: {
    name: string;
    description?: string;
    routingConfiguration: RoutingConfigurationItem[];
  }): StateMachineAliasRecord {
    const stateMachineArn = this.checkedRouting(request.routingConfiguration);
    const arn = stateMachineAliasArn(stateMachineArn, request.name);
    const existing = this.aliases.get(arn);
    if (existing) {
      const same =
        existing.description === request.description &&
        isDeepStrictEqual(existing.routingConfiguration, request.routingConfiguration);
      if (!same) {
        throw conflict(
          'Failed to create alias because an alias with the same name and a different routing configuration already exists.',
        );
      }
      return existing;
    }
    if (this.of(stateMachineArn).length >= MAX_ALIASES) {
      throw serviceQuotaExceeded(
        `The state machine '${stateMachineArn}' already has ${MAX_ALIASES} aliases, the maximum: delete one before creating another`,
      );
    }
    const now = this.now();
    const record: StateMachineAliasRecord = {
      stateMachineAliasArn: arn,
      stateMachineArn,
      name: request.name,
      ...(request.description !== undefined ? { description: request.description } : {}),
      routingConfiguration: request.routingConfiguration.map(({ stateMachineVersionArn, weight }) => ({
        stateMachineVersionArn,
        weight,
      })),
      creationDate: now,
      updateDate: now,
    };
    this.save(record);
    return record;
  }

  update(request: {
    stateMachineAliasArn: string;
    description?: string;
    routingConfiguration?: RoutingConfigurationItem[];
  }): StateMachineAliasRecord {
    const existing = this.get(request.stateMachineAliasArn);
    if (request.description === undefined && request.routingConfiguration === undefined) {
      throw validationException('Either the description or the routing configuration must be specified');
    }
    if (request.routingConfiguration !== undefined) {
      const target = this.checkedRouting(request.routingConfiguration);
      if (target !== existing.stateMachineArn) {
        throw validationException(
          `Routing configuration must contain versions of the alias's state machine '${existing.stateMachineArn}'`,
        );
      }
    }
    const record: StateMachineAliasRecord = {
      ...existing,
      ...(request.description !== undefined ? { description: request.description } : {}),
      ...(request.routingConfiguration !== undefined
        ? {
            routingConfiguration: request.routingConfiguration.map(({ stateMachineVersionArn, weight }) => ({
              stateMachineVersionArn,
              weight,
            })),
          }
        : {}),
      updateDate: this.now(),
    };
    this.save(record);
    return record;
  }

  delete(arn: string): void {
    parseQualifiedStateMachineArn(arn);
    if (!this.aliases.has(arn)) return;
    this.store.delete(arn);
    this.aliases.delete(arn);
  }

  deleteAllOf(stateMachineArn: string): void {
    for (const alias of this.of(stateMachineArn)) this.delete(alias.stateMachineAliasArn);
  }

  private save(record: StateMachineAliasRecord): void {
    this.store.put(record);
    this.aliases.set(record.stateMachineAliasArn, record);
  }

  /** Checks a routing configuration (AWS's order and words); answers the state machine its versions belong to. */
  private checkedRouting(routing: RoutingConfigurationItem[]): string {
    const arns = routing.map((item) => item.stateMachineVersionArn);
    const received = `Received: [${arns.join(', ')}]`;
    const parsed = arns.map((arn) => parseQualifiedStateMachineArn(arn));
    if (parsed.some((arn) => arn.version === undefined)) {
      throw validationException(`Routing configuration must contain state machine version ARNs. ${received}`);
    }
    if (new Set(arns).size !== arns.length) {
      throw validationException(`Routing configuration must contain distinct state machine version ARNs. ${received}`);
    }
    const weights = routing.map((item) => item.weight);
    if (weights.reduce((sum, weight) => sum + weight, 0) !== 100) {
      throw validationException(
        `Sum of routing configuration weights must equal 100. Received: [${weights.join(', ')}]`,
      );
    }
    if (new Set(parsed.map((arn) => arn.unqualified)).size > 1) {
      throw validationException(`Routing configuration must contain versions of the same state machine. ${received}`);
    }
    if (!arns.every((arn) => this.versions.has(arn))) throw noSuchAlias();
    return parsed[0].unqualified;
  }
}
