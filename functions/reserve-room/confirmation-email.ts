/** The email that confirms a reservation to the guest. */
import { escapeHtml, type Email } from '../shared/infrastructure/email';
import type { Reservation } from '../shared/hotel/reservation';

export function confirmationEmail(reservation: Reservation): Email {
  const { GuestName, GuestEmail, RoomNumber, RoomType, CheckIn, CheckOut, Nights, ReservationId } = reservation;
  const stay = `${Nights} night${Nights === 1 ? '' : 's'}`;
  const roomType = RoomType.toLowerCase();
  return {
    to: GuestEmail,
    subject: `Your reservation ${ReservationId} is confirmed`,
    text: [
      `Dear ${GuestName},`,
      '',
      `Thank you for booking with us. Your ${roomType} room ${RoomNumber} is reserved from ${CheckIn} to ${CheckOut} (${stay}).`,
      '',
      `Your reservation number is ${ReservationId}. Please quote it if you need to change or cancel your stay.`,
      '',
      'We look forward to welcoming you.',
      'The Front Desk',
    ].join('\n'),
    html: [
      `<p>Dear ${escapeHtml(GuestName)},</p>`,
      `<p>Thank you for booking with us. Your ${roomType} room <strong>${escapeHtml(RoomNumber)}</strong> is reserved`,
      `from <strong>${CheckIn}</strong> to <strong>${CheckOut}</strong> (${stay}).</p>`,
      `<p>Your reservation number is <strong>${escapeHtml(ReservationId)}</strong>. Please quote it if you need to`,
      'change or cancel your stay.</p>',
      '<p>We look forward to welcoming you.<br>The Front Desk</p>',
    ].join('\n'),
  };
}
