import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { roomsHash } from '../../scripts/lib/rooms-hash';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'rooms-hash-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

describe('roomsHash', () => {
  it('is the SHA-256 of the file, in lower-case hex', () => {
    expect(roomsHash(file('abc.json', 'abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes the bytes, not the parsed rooms: any edit of the file is a change CloudFormation must see', () => {
    const rooms = '[{"RoomNumber":"101","RoomType":"STANDARD","Floor":1}]';
    expect(roomsHash(file('compact.json', rooms))).not.toBe(roomsHash(file('spaced.json', `${rooms}\n`)));
  });

  it('hashes data/rooms.json by default', () => {
    const copy = file('rooms.json', readFileSync(path.join(__dirname, '../../data/rooms.json'), 'utf8'));
    expect(roomsHash()).toMatch(/^[0-9a-f]{64}$/);
    expect(roomsHash()).toBe(roomsHash(copy));
  });
});
