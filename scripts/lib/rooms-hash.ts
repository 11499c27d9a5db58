import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ROOMS_SEED } from '../../local/provisioning/seed';

/**
 * The SHA-256 (hex) of data/rooms.json's bytes: the template's SeedRooms resource carries it as RoomsHash, so that a
 * changed file changes the resource's properties and CloudFormation sends the custom resource an Update (which
 * writes the rooms again). `npm run validate` compares the two.
 */
export function roomsHash(file: string = ROOMS_SEED.file): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
