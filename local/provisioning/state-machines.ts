import { readFileSync } from 'node:fs';
import {
  CreateStateMachineCommand,
  ListStateMachinesCommand,
  StateMachineAlreadyExists,
  UpdateStateMachineCommand,
  type LogLevel,
  type LoggingConfiguration,
  type SFNClient,
  type StateMachineType,
} from '@aws-sdk/client-sfn';
import { type IntrinsicResolver, LOCAL_ACCOUNT_ID } from '../template/intrinsics';
import type { Template } from '../template/load';
import { resolveFromTemplate, resourcesOfType } from '../template/queries';

/** What CreateStateMachine needs for one state machine of the template. */
export interface StateMachineDefinition {
  /** The template logical id, which is also the local state machine name. */
  name: string;
  definition: string;
  type: StateMachineType;
  roleArn: string;
  tracing: boolean;
  /** the template's Logging, as CreateStateMachine's loggingConfiguration (SAM passes it to LoggingConfiguration) */
  logging?: LoggingConfiguration;
}

export class StateMachineDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateMachineDefinitionError';
  }
}

/**
 * The template's AWS::Serverless::StateMachine resources as local definitions: the DefinitionUri file (or the
 * inline Definition) with `${Key}` DefinitionSubstitutions replaced by their local values (function ARNs,
 * table names), as SAM does at deploy time.
 */
export function stateMachineDefinitions(
  template: Template,
  resolver: IntrinsicResolver,
  templateDir: string,
): StateMachineDefinition[] {
  const definitions: StateMachineDefinition[] = [];
  for (const { logicalId, resource } of resourcesOfType(template, 'AWS::Serverless::StateMachine')) {
    if (resource.Condition && !resolver.condition(resource.Condition)) continue;
    const properties = (resource.Properties ?? {}) as Record<string, unknown>;
    let text: string;
    if (typeof properties.DefinitionUri === 'string') {
      const file = resolveFromTemplate(templateDir, properties.DefinitionUri);
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new StateMachineDefinitionError(
          `${logicalId}: cannot read DefinitionUri ${properties.DefinitionUri}: ${(error as Error).message}`,
        );
      }
    } else if (properties.Definition && typeof properties.Definition === 'object') {
      text = JSON.stringify(resolver.resolve(properties.Definition), null, 2);
    } else {
      throw new StateMachineDefinitionError(`${logicalId}: needs a DefinitionUri file or an inline Definition`);
    }
    const substitutions = (resolver.resolve(properties.DefinitionSubstitutions ?? {}) ?? {}) as Record<string, unknown>;
    const definition = text.replace(/\$\{([^}]+)\}/g, (whole, key: string) =>
      key in substitutions ? String(substitutions[key]) : whole,
    );
    const role = resolver.resolve(properties.Role);
    const tracing = (resolver.resolve(properties.Tracing) as { Enabled?: boolean } | undefined)?.Enabled === true;
    const logging = loggingConfigurationOf(resolver.resolve(properties.Logging));
    definitions.push({
      name: logicalId,
      definition,
      type: (resolver.resolve(properties.Type) as StateMachineType | undefined) ?? 'STANDARD',
      // SAM creates a role when the template gives Policies instead of a Role; locally it only has to be a role ARN.
      roleArn:
        typeof role === 'string' && role.startsWith('arn:')
          ? role
          : `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${logicalId}Role`,
      tracing,
      ...(logging ? { logging } : {}),
    });
  }
  return definitions;
}

/** SAM's Logging (CloudFormation's LoggingConfiguration: Level, IncludeExecutionData, Destinations) in the API's words. */
function loggingConfigurationOf(logging: unknown): LoggingConfiguration | undefined {
  if (!logging || typeof logging !== 'object') return undefined;
  const { Level, IncludeExecutionData, Destinations } = logging as {
    Level?: LogLevel;
    IncludeExecutionData?: boolean;
    Destinations?: { CloudWatchLogsLogGroup?: { LogGroupArn?: string } }[];
  };
  return {
    ...(Level !== undefined ? { level: Level } : {}),
    ...(IncludeExecutionData !== undefined ? { includeExecutionData: IncludeExecutionData } : {}),
    ...(Destinations !== undefined
      ? {
          destinations: Destinations.map((destination) => ({
            cloudWatchLogsLogGroup: { logGroupArn: destination.CloudWatchLogsLogGroup?.LogGroupArn },
          })),
        }
      : {}),
  };
}

/**
 * Creates each state machine through the Step Functions API, or updates it when one of that name exists from an
 * earlier run (its definition may have changed since; running executions keep the revision they started with).
 * Returns the state machine ARNs by name.
 */
export async function deployStateMachines(
  client: SFNClient,
  definitions: StateMachineDefinition[],
): Promise<Record<string, string>> {
  const arns: Record<string, string> = {};
  for (const machine of definitions) {
    const common = {
      definition: machine.definition,
      roleArn: machine.roleArn,
      tracingConfiguration: { enabled: machine.tracing },
      ...(machine.logging ? { loggingConfiguration: machine.logging } : {}),
    };
    try {
      const created = await client.send(
        new CreateStateMachineCommand({ name: machine.name, type: machine.type, ...common }),
      );
      arns[machine.name] = created.stateMachineArn!;
    } catch (error) {
      if (!(error instanceof StateMachineAlreadyExists)) throw error;
      const arn = await findStateMachineArn(client, machine.name);
      if (!arn) throw error;
      await client.send(new UpdateStateMachineCommand({ stateMachineArn: arn, ...common }));
      arns[machine.name] = arn;
    }
  }
  return arns;
}

/** The ARN of the state machine with that name, if the API has one. */
export async function findStateMachineArn(client: SFNClient, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListStateMachinesCommand({ nextToken }));
    const found = page.stateMachines?.find((machine) => machine.name === name);
    if (found) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}
