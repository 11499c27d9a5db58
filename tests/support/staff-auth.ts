/**
 * What a test sends to a staff route (contract, "Staff sign-in"): the headers of a signed-in member of staff, by
 * role. Every test that calls a staff route takes its credentials from here, so that the switch from the shared
 * API key to Cognito ID tokens (issue 16) changes this file, not the tests.
 *
 * - `admin`: a user in the group `admins` (POST /incident, GET /incidents, GET /incidents/{IncidentId}, and every
 *   other admin route).
 * - `agent`: a user in the group `agents` (POST /reservations, GET /reservations/{ReservationId}).
 *
 * Until sign-in is in force both roles send the local cloud's x-api-key; from then on an `Authorization: Bearer`
 * ID token the local Cognito service issues to that role's user.
 */
export type StaffRole = 'admin' | 'agent';

export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'agent'];

/** The local cloud a test signs in to. */
export interface StaffAuthTarget {
  /** The REST API's base URL (its GET /_local/cognito names the user pool and the app client). */
  apiUrl: string;
  /** The local cloud's API key: what staff routes take until sign-in is in force. */
  apiKey: string;
}

/** The request headers that let `role` through a staff route of `target`. */
export async function staffHeaders(target: StaffAuthTarget, role: StaffRole): Promise<Record<string, string>> {
  void role; // both roles share the one key until sign-in is in force
  return { 'x-api-key': target.apiKey };
}

/** The role whose group a staff route admits (contract): `agent` for /reservations, `admin` for everything else. */
export function staffRoleFor(path: string): StaffRole {
  const pathname = new URL(path, 'http://localhost').pathname;
  return pathname === '/reservations' || pathname.startsWith('/reservations/') ? 'agent' : 'admin';
}
