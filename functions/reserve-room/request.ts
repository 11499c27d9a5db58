/** The Reserve request (the `POST /reservations` body the call-centre state machine passes on). */
import * as z from 'zod/mini';
import { roomTypes } from '../shared/hotel/reservation';
import { countNights, daysAfter, today } from '../shared/hotel/stay';
import { identifier, personText } from '../shared/infrastructure/validation';

export const maxNights = 30;
/**
 * The booking horizon: a stay may begin at most this many days (two years) after today, so a typo of a year
 * (9999-12-30) is refused instead of booked and mailed.
 */
export const maxDaysAhead = 730;
/** An address's longest form (RFC 5321's 256-octet path less its angle brackets), as for StudentEmail. */
export const maxEmailLength = 254;

export const reserveRequest = z
  .object({
    TransactionType: z.optional(z.literal('Reserve')),
    GuestName: personText(200),
    GuestEmail: z.email().check(z.maxLength(maxEmailLength)),
    RoomType: z.enum(roomTypes),
    CheckIn: z.iso.date('must be a date YYYY-MM-DD'),
    CheckOut: z.iso.date('must be a date YYYY-MM-DD'),
    // A client-chosen idempotency key: the same Reserve sent again returns the same reservation.
    ReservationId: z.optional(
      z
        .string()
        .check(
          z.minLength(1),
          z.maxLength(64),
          z.regex(/^[A-Za-z0-9._:-]+$/, 'may contain only letters, digits and . _ : -'),
        ),
    ),
    // Set by the call-centre state machine (never by the client: it overwrites any such field of the body): the
    // execution whose Reserve this is, which keys the reservation when the client sent no ReservationId.
    Execution: z.optional(z.object({ Id: identifier(2048) })),
  })
  .check(
    z.superRefine((request, ctx) => {
      if (request.CheckIn < today()) {
        ctx.addIssue({ code: 'custom', path: ['CheckIn'], message: 'must not be in the past' });
      } else if (countNights(today(), request.CheckIn) > maxDaysAhead) {
        const last = daysAfter(today(), maxDaysAhead);
        ctx.addIssue({
          code: 'custom',
          path: ['CheckIn'],
          message: `must be at most ${maxDaysAhead} days from today (the last check-in that can be booked is ${last})`,
        });
      }
      if (request.CheckOut <= request.CheckIn) {
        ctx.addIssue({ code: 'custom', path: ['CheckOut'], message: 'must be after CheckIn' });
      } else if (countNights(request.CheckIn, request.CheckOut) > maxNights) {
        ctx.addIssue({ code: 'custom', path: ['CheckOut'], message: `the stay must not exceed ${maxNights} nights` });
      }
    }),
  );

export type ReserveRequest = z.output<typeof reserveRequest>;
