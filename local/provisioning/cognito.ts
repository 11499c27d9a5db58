import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolClientCommand,
  type CreateUserPoolCommandInput,
  CreateUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IntrinsicResolver } from '../template/intrinsics';
import type { Template } from '../template/load';
import { resourcesOfType } from '../template/queries';

/**
 * The template's staff user pool, made in the local Cognito service: the pool with the template's own properties,
 * its app client and groups (kept when they exist, so that a token issued before a restart still names this pool),
 * and the local staff (LocalStaffMember), whose password is set to the one in force at every start.
 */

/** The user pool, app client and groups the template declares. */
export interface UserPoolDefinition {
  logicalId: string;
  pool: CreateUserPoolCommandInput;
  client: { logicalId: string; input: Omit<CreateUserPoolClientCommandInput, 'UserPoolId'> };
  groups: Array<{ GroupName: string; Description?: string }>;
}

/** A member of staff made locally, in one group. */
export interface LocalStaffMember {
  email: string;
  group: string;
  password: string;
}

/** What the pages and the API Gateway emulator need to know of the local pool (GET /_local/cognito). */
export interface ProvisionedUserPool {
  logicalId: string;
  userPoolId: string;
  clientLogicalId: string;
  clientId: string;
}

function propertiesOf(resolver: IntrinsicResolver, properties: unknown): Record<string, unknown> {
  return (resolver.resolve(properties ?? {}) ?? {}) as Record<string, unknown>;
}

/**
 * The template's one user pool (the contract's GET /_local/cognito names one), with its one app client and its
 * groups; undefined when it declares none. More than one of either cannot be served locally and is refused.
 */
export function userPoolDefinition(template: Template, resolver: IntrinsicResolver): UserPoolDefinition | undefined {
  const pools = resourcesOfType(template, 'AWS::Cognito::UserPool');
  if (pools.length === 0) return undefined;
  if (pools.length > 1)
    throw new Error(
      `template.yaml declares ${pools.length} user pools (${pools.map((pool) => pool.logicalId).join(', ')}); the local cloud serves one`,
    );
  const [pool] = pools;
  const belongsToPool = (properties: Record<string, unknown>) => {
    const ref = (properties.UserPoolId as { Ref?: string } | undefined)?.Ref;
    return ref === pool.logicalId;
  };
  const clients = resourcesOfType(template, 'AWS::Cognito::UserPoolClient').filter((client) =>
    belongsToPool(client.resource.Properties ?? {}),
  );
  if (clients.length !== 1)
    throw new Error(
      `user pool ${pool.logicalId} needs exactly one app client locally; template.yaml gives ${clients.length}`,
    );
  const { UserPoolName, ...poolProperties } = propertiesOf(resolver, pool.resource.Properties);
  const { UserPoolId: _pool, ...clientProperties } = propertiesOf(resolver, clients[0].resource.Properties);
  const groups = resourcesOfType(template, 'AWS::Cognito::UserPoolGroup')
    .filter((group) => belongsToPool(group.resource.Properties ?? {}))
    .map((group) => {
      const { GroupName, Description } = propertiesOf(resolver, group.resource.Properties);
      return { GroupName: String(GroupName), Description: Description === undefined ? undefined : String(Description) };
    });
  return {
    logicalId: pool.logicalId,
    pool: { ...poolProperties, PoolName: String(UserPoolName ?? pool.logicalId) } as CreateUserPoolCommandInput,
    client: { logicalId: clients[0].logicalId, input: clientProperties as UserPoolDefinition['client']['input'] },
    groups,
  };
}

async function ensurePool(client: CognitoIdentityProviderClient, pool: CreateUserPoolCommandInput): Promise<string> {
  const listed = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  const existing = listed.UserPools?.find((candidate) => candidate.Name === pool.PoolName);
  if (existing?.Id) return existing.Id;
  const created = await client.send(new CreateUserPoolCommand(pool));
  return created.UserPool!.Id!;
}

async function ensureClient(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  input: UserPoolDefinition['client']['input'],
): Promise<string> {
  const listed = await client.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }));
  const existing = listed.UserPoolClients?.find((candidate) => candidate.ClientName === input.ClientName);
  if (existing?.ClientId) return existing.ClientId;
  const created = await client.send(new CreateUserPoolClientCommand({ ...input, UserPoolId: userPoolId }));
  return created.UserPoolClient!.ClientId!;
}

async function ensureGroups(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  groups: UserPoolDefinition['groups'],
): Promise<void> {
  const listed = await client.send(new ListGroupsCommand({ UserPoolId: userPoolId }));
  const names = new Set(listed.Groups?.map((group) => group.GroupName));
  for (const group of groups)
    if (!names.has(group.GroupName)) await client.send(new CreateGroupCommand({ ...group, UserPoolId: userPoolId }));
}

async function ensureMember(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  member: LocalStaffMember,
): Promise<void> {
  const exists = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: member.email })).then(
    () => true,
    (error: Error) => {
      if (error.name === 'UserNotFoundException') return false;
      throw error;
    },
  );
  if (!exists)
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: member.email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: member.email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
  // Permanent: the local staff sign in straight away, without the first-sign-in password change AWS asks for.
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: member.email,
      Password: member.password,
      Permanent: true,
    }),
  );
  await client.send(
    new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: member.email, GroupName: member.group }),
  );
}

/** The pool, its client, its groups and the local staff, made (or kept) in the Cognito service `client` talks to. */
export async function provisionUserPool(
  client: CognitoIdentityProviderClient,
  definition: UserPoolDefinition,
  staff: LocalStaffMember[],
): Promise<ProvisionedUserPool> {
  const userPoolId = await ensurePool(client, definition.pool);
  const clientId = await ensureClient(client, userPoolId, definition.client.input);
  await ensureGroups(client, userPoolId, definition.groups);
  for (const member of staff) {
    if (!definition.groups.some((group) => group.GroupName === member.group))
      throw new Error(`local staff member ${member.email}: template.yaml has no group ${member.group}`);
    await ensureMember(client, userPoolId, member);
  }
  return { logicalId: definition.logicalId, userPoolId, clientLogicalId: definition.client.logicalId, clientId };
}
