/**
 * What the local cloud makes in its Cognito service from template.yaml (local/provisioning/cognito.ts
 * userPoolDefinition): the staff pool with the template's own properties, its one app client, its groups; a template
 * the local cloud cannot serve that way is refused before anything starts.
 */
import { IntrinsicResolver } from '../../local/template/intrinsics';
import { loadTemplate, type Template } from '../../local/template/load';
import { userPoolDefinition } from '../../local/provisioning/cognito';

const template = loadTemplate();
const definitionOf = (t: Template) => userPoolDefinition(t, new IntrinsicResolver(t, { region: 'us-east-1' }));

test("the staff pool as template.yaml declares it: email sign-in, no self sign-up, the policy, the pages' client, both groups", () => {
  const definition = definitionOf(template)!;
  expect(definition.logicalId).toBe('StaffUserPool');
  expect(definition.pool).toMatchObject({
    PoolName: 'local-staff',
    UsernameAttributes: ['email'],
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    MfaConfiguration: 'OPTIONAL',
    Policies: { PasswordPolicy: expect.objectContaining({ MinimumLength: 12, RequireSymbols: true }) },
  });
  expect(definition.client).toEqual({
    logicalId: 'StaffUserPoolClient',
    input: expect.objectContaining({
      ClientName: 'staff-pages',
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  });
  expect(definition.groups.map((group) => group.GroupName).sort()).toEqual(['admins', 'agents']);
});

test('a template without a user pool has nothing to make; two pools, or a pool without exactly one client, are refused', () => {
  const copy = (): Template => JSON.parse(JSON.stringify(template));
  const without = copy();
  for (const [id, resource] of Object.entries(without.Resources))
    if (resource.Type.startsWith('AWS::Cognito::')) delete without.Resources[id];
  expect(definitionOf(without)).toBeUndefined();

  const twoPools = copy();
  twoPools.Resources.OtherPool = { Type: 'AWS::Cognito::UserPool', Properties: {} };
  expect(() => definitionOf(twoPools)).toThrow(
    /declares 2 user pools \(StaffUserPool, OtherPool\); the local cloud serves one/,
  );

  const twoClients = copy();
  twoClients.Resources.OtherClient = {
    Type: 'AWS::Cognito::UserPoolClient',
    Properties: { UserPoolId: { Ref: 'StaffUserPool' }, ClientName: 'other' },
  };
  expect(() => definitionOf(twoClients)).toThrow(/needs exactly one app client locally; template.yaml gives 2/);
});
