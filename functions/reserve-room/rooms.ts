/** Finding the rooms of a type that look free for a stay. */
import { paginateQuery, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/infrastructure/clients';
import { requireEnv } from '../shared/infrastructure/env';
import type { RoomType } from '../shared/hotel/reservation';

/** Room numbers of a type, lowest first (GSI ByRoomType, sorted numerically so that "99" precedes "100"). */
async function roomsOfType(roomType: RoomType): Promise<string[]> {
  const numbers: string[] = [];
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: requireEnv('ROOMS_TABLE'),
      IndexName: 'ByRoomType',
      KeyConditionExpression: 'RoomType = :roomType',
      ExpressionAttributeValues: { ':roomType': roomType },
      ProjectionExpression: 'RoomNumber',
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) numbers.push(String(item.RoomNumber));
  }
  return numbers.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Whether any of `nights` (consecutive, ascending) of `roomNumber` is held. */
async function isHeld(roomNumber: string, nights: string[]): Promise<boolean> {
  const { Count } = await dynamo.send(
    new QueryCommand({
      TableName: requireEnv('ROOM_NIGHTS_TABLE'),
      KeyConditionExpression: 'RoomNumber = :room AND Night BETWEEN :first AND :last',
      ExpressionAttributeValues: { ':room': roomNumber, ':first': nights[0], ':last': nights[nights.length - 1] },
      Select: 'COUNT',
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return (Count ?? 0) > 0;
}

/**
 * Rooms of the type that are free on every night right now, lowest number first. Only a shortlist: another
 * request may take one before we book it, which the booking transaction's conditions detect.
 */
export async function freeRoomsOfType(roomType: RoomType, nights: string[]): Promise<string[]> {
  const rooms = await roomsOfType(roomType);
  const held = await Promise.all(rooms.map((room) => isHeld(room, nights)));
  return rooms.filter((_, index) => !held[index]);
}
