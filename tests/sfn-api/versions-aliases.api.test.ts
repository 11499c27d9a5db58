/**
 * Versions and aliases through @aws-sdk/client-sfn, with AWS's answers as LocalStack's AWS-validated snapshots
 * record them (test_sfn_api_versioning, test_sfn_api_aliasing): numbering, idempotent publishing, executions through
 * a version or an alias, routing by weight, and the errors.
 */
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachineAliasesCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { failMachine, passMachine } from './definitions';
import { errorOf, newDataDir, roleArn, startHarness, stopHarness, waitForEnd, type Harness } from './harness';

let harness: Harness;
/** What the next alias start draws (the server's injected random). */
let draw = 0;
const dataDir = newDataDir();
beforeAll(async () => {
  harness = await startHarness({ dataDir, random: () => draw });
});
afterAll(() => stopHarness(harness));

const input = JSON.stringify({ name: 'versions' });
let counter = 0;
const create = async (extra: object = {}) =>
  harness.client.send(
    new CreateStateMachineCommand({ name: `Versioned${++counter}`, definition: passMachine, roleArn, ...extra }),
  );

describe('versions', () => {
  it('publishes at creation and on update, numbers versions, and is idempotent for a revision', async () => {
    const created = await create({ publish: true, versionDescription: 'first' });
    const arn = created.stateMachineArn!;
    expect(created.stateMachineVersionArn).toBe(`${arn}:1`);

    // The same revision again: the same version.
    const again = await harness.client.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }));
    expect(again.stateMachineVersionArn).toBe(`${arn}:1`);
    const unchanged = await harness.client.send(
      new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passMachine, publish: true }),
    );
    expect(unchanged).toMatchObject({ stateMachineVersionArn: `${arn}:1` });
    expect(unchanged.revisionId).toBeUndefined();

    const updated = await harness.client.send(
      new UpdateStateMachineCommand({ stateMachineArn: arn, definition: failMachine, publish: true }),
    );
    expect(updated.stateMachineVersionArn).toBe(`${arn}:2`);
    expect(updated.revisionId).toEqual(expect.any(String));

    const listed = await harness.client.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
    expect(listed.stateMachineVersions!.map((version) => version.stateMachineVersionArn)).toEqual([
      `${arn}:2`,
      `${arn}:1`,
    ]);

    const v1 = await harness.client.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:1` }));
    expect(v1).toMatchObject({ stateMachineArn: `${arn}:1`, definition: passMachine, description: 'first' });
    expect(v1.revisionId).toBeUndefined();
    const v2 = await harness.client.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:2` }));
    expect(v2).toMatchObject({ definition: failMachine, revisionId: updated.revisionId });

    // A version number is never reused: delete 2, publish a new revision, get 3.
    await harness.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${arn}:2` }));
    await harness.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${arn}:2` }));
    await harness.client.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passMachine }));
    const third = await harness.client.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }));
    expect(third.stateMachineVersionArn).toBe(`${arn}:3`);
  });

  it("answers AWS's errors", async () => {
    const { stateMachineArn } = await create();
    const arn = stateMachineArn!;
    expect(await errorOf(create({ versionDescription: 'no publish' }))).toMatchObject({
      name: 'ValidationException',
      message: 'Version description can only be set when publish is true',
    });
    const first = await harness.client.send(
      new UpdateStateMachineCommand({ stateMachineArn: arn, definition: failMachine }),
    );
    await harness.client.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passMachine }));
    const current = (await harness.client.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).revisionId;
    expect(
      await errorOf(
        harness.client.send(
          new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: first.revisionId }),
        ),
      ),
    ).toMatchObject({
      name: 'ConflictException',
      message: `Failed to publish the State Machine version for revision ${first.revisionId}. The current State Machine revision is ${current}.`,
      $metadata: { httpStatusCode: 409 },
    });
    expect(
      await errorOf(harness.client.send(new PublishStateMachineVersionCommand({ stateMachineArn: 'invalid_arn' }))),
    ).toMatchObject({ name: 'InvalidArn', message: "Invalid Arn: 'Invalid ARN prefix: invalid_arn'" });
    expect(
      await errorOf(
        harness.client.send(new UpdateStateMachineCommand({ stateMachineArn: `${arn}:7`, definition: passMachine })),
      ),
    ).toMatchObject({ name: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${arn}:7'` });
    expect(
      await errorOf(harness.client.send(new StartExecutionCommand({ stateMachineArn: `${arn}:7` }))),
    ).toMatchObject({ name: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${arn}:7'` });
  });
});

describe('aliases', () => {
  it('routes executions through a version or an alias, by weight, and lists them by each', async () => {
    const created = await create({ publish: true });
    const arn = created.stateMachineArn!;
    const v1 = created.stateMachineVersionArn!;
    const v2 = (
      await harness.client.send(
        new UpdateStateMachineCommand({ stateMachineArn: arn, definition: failMachine, publish: true }),
      )
    ).stateMachineVersionArn!;
    const alias = await harness.client.send(
      new CreateStateMachineAliasCommand({
        name: 'live',
        description: 'canary',
        routingConfiguration: [
          { stateMachineVersionArn: v1, weight: 80 },
          { stateMachineVersionArn: v2, weight: 20 },
        ],
      }),
    );
    expect(alias.stateMachineAliasArn).toBe(`${arn}:live`);

    draw = 0.79; // within v1's 80 %
    const first = await harness.client.send(new StartExecutionCommand({ stateMachineArn: `${arn}:live`, input }));
    draw = 0.8; // v2's 20 %
    const second = await harness.client.send(new StartExecutionCommand({ stateMachineArn: `${arn}:live`, input }));
    const direct = await harness.client.send(new StartExecutionCommand({ stateMachineArn: v2, input }));
    const a = await waitForEnd(harness.client, first.executionArn!);
    const b = await waitForEnd(harness.client, second.executionArn!);
    const c = await waitForEnd(harness.client, direct.executionArn!);
    expect(a).toMatchObject({
      status: 'SUCCEEDED',
      stateMachineArn: arn,
      stateMachineVersionArn: v1,
      stateMachineAliasArn: `${arn}:live`,
    });
    expect(b).toMatchObject({ status: 'FAILED', stateMachineVersionArn: v2, stateMachineAliasArn: `${arn}:live` });
    expect(c).toMatchObject({ status: 'FAILED', stateMachineVersionArn: v2 });
    expect(c.stateMachineAliasArn).toBeUndefined();

    // An EXPRESS state machine's alias answers StartSyncExecution with the version it chose.
    const express = await create({ type: 'EXPRESS', publish: true });
    await harness.client.send(
      new CreateStateMachineAliasCommand({
        name: 'sync',
        routingConfiguration: [{ stateMachineVersionArn: express.stateMachineVersionArn!, weight: 100 }],
      }),
    );
    const synced = await harness.client.send(
      new StartSyncExecutionCommand({ stateMachineArn: `${express.stateMachineArn}:sync`, input }),
    );
    expect(synced).toMatchObject({ status: 'SUCCEEDED', stateMachineArn: express.stateMachineArn });

    const names = async (stateMachineArn: string) =>
      (await harness.client.send(new ListExecutionsCommand({ stateMachineArn })))
        .executions!.map((e) => e.executionArn)
        .sort();
    expect(await names(`${arn}:live`)).toEqual([first.executionArn, second.executionArn].sort());
    expect(await names(v2)).toEqual([second.executionArn, direct.executionArn].sort());
    expect(await names(arn)).toHaveLength(3);

    const updated = await harness.client.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn: `${arn}:live`,
        routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }],
      }),
    );
    expect(updated.updateDate).toBeInstanceOf(Date);
    expect(
      await harness.client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` })),
    ).toMatchObject({
      name: 'live',
      description: 'canary',
      routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }],
    });
    expect(
      await errorOf(harness.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v2 }))),
    ).toMatchObject({
      name: 'ConflictException',
      message:
        'Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [live]',
    });
    await harness.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v1 }));
    await harness.client.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` }));
    expect(
      (await harness.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }))).stateMachineAliases,
    ).toEqual([]);
  });

  it("refuses bad routing with AWS's messages, and is idempotent only for the same alias", async () => {
    const created = await create({ publish: true });
    const arn = created.stateMachineArn!;
    const v1 = created.stateMachineVersionArn!;
    const createAlias = (routingConfiguration: { stateMachineVersionArn: string; weight: number }[], extra = {}) =>
      harness.client.send(new CreateStateMachineAliasCommand({ name: 'prod', routingConfiguration, ...extra }));
    expect(await errorOf(createAlias([{ stateMachineVersionArn: arn, weight: 100 }]))).toMatchObject({
      name: 'ValidationException',
      message: `Routing configuration must contain state machine version ARNs. Received: [${arn}]`,
    });
    expect(
      await errorOf(
        createAlias([
          { stateMachineVersionArn: v1, weight: 50 },
          { stateMachineVersionArn: v1, weight: 50 },
        ]),
      ),
    ).toMatchObject({
      message: `Routing configuration must contain distinct state machine version ARNs. Received: [${v1}, ${v1}]`,
    });
    expect(await errorOf(createAlias([{ stateMachineVersionArn: v1, weight: 70 }]))).toMatchObject({
      message: 'Sum of routing configuration weights must equal 100. Received: [70]',
    });
    expect(await errorOf(createAlias([{ stateMachineVersionArn: v1, weight: 101 }]))).toMatchObject({
      message:
        "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100",
    });
    expect(
      await errorOf(
        harness.client.send(
          new CreateStateMachineAliasCommand({
            name: '123',
            routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }],
          }),
        ),
      ),
    ).toMatchObject({
      message:
        "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$",
    });
    const made = await createAlias([{ stateMachineVersionArn: v1, weight: 100 }]);
    expect((await createAlias([{ stateMachineVersionArn: v1, weight: 100 }])).creationDate).toEqual(made.creationDate);
    expect(
      await errorOf(createAlias([{ stateMachineVersionArn: v1, weight: 100 }], { description: 'x' })),
    ).toMatchObject({
      name: 'ConflictException',
      message:
        'Failed to create alias because an alias with the same name and a different routing configuration already exists.',
    });
    expect(
      await errorOf(
        harness.client.send(
          new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:nope`, description: 'x' }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceNotFound', message: 'Request references a resource that does not exist.' });
  });
});

describe('persistence and deletion', () => {
  it('keeps versions and aliases across a restart, and deleting the state machine deletes them', async () => {
    const created = await create({ publish: true });
    const arn = created.stateMachineArn!;
    await harness.client.send(
      new CreateStateMachineAliasCommand({
        name: 'kept',
        routingConfiguration: [{ stateMachineVersionArn: created.stateMachineVersionArn!, weight: 100 }],
      }),
    );
    await stopHarness(harness, { keepData: true });
    harness = await startHarness({ dataDir, random: () => draw });
    expect(
      (await harness.client.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }))).stateMachineVersions,
    ).toHaveLength(1);
    const run = await harness.client.send(new StartExecutionCommand({ stateMachineArn: `${arn}:kept`, input }));
    expect(await waitForEnd(harness.client, run.executionArn!)).toMatchObject({ status: 'SUCCEEDED' });

    await harness.client.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    await harness.client.send(
      new CreateStateMachineCommand({ name: arn.split(':').pop()!, definition: passMachine, roleArn }),
    );
    expect(
      (await harness.client.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }))).stateMachineVersions,
    ).toEqual([]);
    expect(
      (await harness.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }))).stateMachineAliases,
    ).toEqual([]);
    expect(
      await errorOf(harness.client.send(new DescribeExecutionCommand({ executionArn: `${arn}:nope` }))),
    ).toMatchObject({ name: 'InvalidArn' });
  });
});
