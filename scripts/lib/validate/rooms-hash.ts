import path from 'node:path';
import type { Template } from '../../../local/template/load';
import { resourcesOfType } from '../../../local/template/queries';
import { problem, type Problem } from '../problems';
import { roomsHash } from '../rooms-hash';

/**
 * The SeedRooms custom resource's RoomsHash must be the SHA-256 of data/rooms.json: CloudFormation sends the custom
 * resource an Update (and the rooms are written again) only when one of its properties changes, so a stale hash
 * would deploy an edited rooms file without seeding it.
 */
export function checkRoomsHash(template: Template, baseDir: string): Problem[] {
  const expected = roomsHash(path.join(baseDir, 'data', 'rooms.json'));
  return resourcesOfType(template, 'Custom::SeedRooms')
    .filter(({ resource }) => resource.Properties?.RoomsHash !== expected)
    .map(({ logicalId, resource }) =>
      problem(
        'RoomsHashStale',
        `Resources.${logicalId}.Properties.RoomsHash`,
        `RoomsHash is ${JSON.stringify(resource.Properties?.RoomsHash ?? null)}, but data/rooms.json's SHA-256 is ${expected}: set it, or the rooms are not seeded again on deploy`,
      ),
    );
}
