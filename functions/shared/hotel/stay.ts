/**
 * A stay's calendar: the nights between CheckIn and CheckOut, each a room-night item (RoomNightsTable) while the
 * stay is booked. Dates are `YYYY-MM-DD` UTC calendar days.
 */
const dayMs = 86_400_000;

/** How many nights lie between two `YYYY-MM-DD` dates (negative when CheckOut comes first). */
export function countNights(checkIn: string, checkOut: string): number {
  return Math.round((Date.parse(checkOut) - Date.parse(checkIn)) / dayMs);
}

/** Every night of a stay as `YYYY-MM-DD`: CheckIn up to, not including, CheckOut (dates are UTC calendar days). */
export function nightsOfStay(checkIn: string, checkOut: string): string[] {
  const nights: string[] = [];
  for (let day = Date.parse(checkIn); day < Date.parse(checkOut); day += dayMs) {
    nights.push(new Date(day).toISOString().slice(0, 10));
  }
  return nights;
}

/** The `YYYY-MM-DD` date `days` after `date`. */
export function daysAfter(date: string, days: number): string {
  return new Date(Date.parse(date) + days * dayMs).toISOString().slice(0, 10);
}

/** Today's UTC date as `YYYY-MM-DD`. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
