/** GetReservationFunction: `GET /reservations/{ReservationId}` (Lambda proxy): the reservation, or 404. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { ReservationNotFound } from '../shared/hotel/errors';
import { observedHandler } from '../shared/infrastructure/handler';
import { httpErrors, jsonResponse } from '../shared/infrastructure/http';
import { staffGroup } from '../shared/infrastructure/staff-group';
import { findReservation } from '../shared/hotel/reservation';
import { identifier, parseInput } from '../shared/infrastructure/validation';

const pathParameters = z.object({ ReservationId: identifier(64) });

async function getReservation(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const { ReservationId } = parseInput(pathParameters, event.pathParameters ?? {});
  const reservation = await findReservation(ReservationId);
  if (!reservation) throw new ReservationNotFound(`There is no reservation ${ReservationId}.`);
  return jsonResponse(200, reservation);
}

export const handler = observedHandler(getReservation).use(httpErrors()).use(staffGroup('agents'));
