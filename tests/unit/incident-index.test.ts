/**
 * The shard of an incident's ByStatus partition is computed in two places: the functions (incident-index.ts) and
 * the plagiarism definition's JSONata (ValidateIncident's Assign, used by RegisterIncident and ResolveIncident).
 * They must agree for every IncidentId, or a status change would move an incident to another shard's partition.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import jsonata from 'jsonata';
import { shardOf, STATUS_SHARDS, statusPartition } from '../../functions/shared/plagiarism/incident-index';
import { PROJECT_ROOT } from '../../local/template/load';

const definition = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'statemachine/plagiarism.asl.json'), 'utf8'));
const shardExpression: string = definition.States.ValidateIncident.Choices[0].Assign.incidentShard;

async function aslShard(IncidentId: string): Promise<string> {
  const expression = jsonata(shardExpression.replace(/^\{%|%\}$/g, '').trim());
  // Step Functions' $hash(data, 'SHA-256'): the lower-case hex SHA-256 of the UTF-8 text.
  expression.registerFunction(
    'hash',
    (data: string) => createHash('sha256').update(data, 'utf8').digest('hex'),
    '<ss:s>',
  );
  return expression.evaluate({}, { states: { input: { IncidentId } } });
}

describe('incident index shards', () => {
  it('the definition and the functions give every IncidentId the same shard', async () => {
    const ids = [
      ...Array.from({ length: 200 }, (_, index) => `inc-${index}`),
      '5f0c2b8e-0f5e-4bd4-9a51-1f7f0a9e2c11',
      'Idempotency_Key-1',
      'a',
    ];
    const shards = new Set<number>();
    for (const id of ids) {
      expect({ id, shard: await aslShard(id) }).toEqual({ id, shard: String(shardOf(id)) });
      shards.add(shardOf(id));
    }
    expect([...shards].sort()).toEqual(Array.from({ length: STATUS_SHARDS }, (_, shard) => shard));
  });

  it('names a partition by status and shard', () => {
    expect(statusPartition('RESOLVED', 'inc-1')).toBe(`RESOLVED#${shardOf('inc-1')}`);
  });
});
