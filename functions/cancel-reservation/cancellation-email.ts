/** The email that tells the guest their reservation is cancelled. */
import { escapeHtml, type Email } from '../shared/infrastructure/email';
import type { Reservation } from '../shared/hotel/reservation';

export function cancellationEmail(reservation: Reservation): Email {
  const { GuestName, GuestEmail, RoomNumber, CheckIn, CheckOut, ReservationId } = reservation;
  return {
    to: GuestEmail,
    subject: `Your reservation ${ReservationId} is cancelled`,
    text: [
      `Dear ${GuestName},`,
      '',
      `As requested, your reservation ${ReservationId} for room ${RoomNumber} from ${CheckIn} to ${CheckOut} is cancelled.`,
      '',
      'We hope to welcome you another time.',
      'The Front Desk',
    ].join('\n'),
    html: [
      `<p>Dear ${escapeHtml(GuestName)},</p>`,
      `<p>As requested, your reservation <strong>${escapeHtml(ReservationId)}</strong> for room ${escapeHtml(RoomNumber)}`,
      `from ${CheckIn} to ${CheckOut} is cancelled.</p>`,
      '<p>We hope to welcome you another time.<br>The Front Desk</p>',
    ].join('\n'),
  };
}
