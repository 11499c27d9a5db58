/**
 * What a test sends to a staff route (contract, "Staff sign-in"): the headers of a signed-in member of staff, by
 * role. Every test that calls a staff route takes its credentials from here.
 *
 * - `admin`: admin@example.com, in the group `admins` (POST /incident, GET /incidents, GET /incidents/{IncidentId},
 *   and every other admin route).
 * - `agent`: agent@example.com, in the group `agents` (POST /reservations, GET /reservations/{ReservationId}).
 *
 * The credentials are a real ID token the local cloud's Cognito service issues to that user (`Authorization: Bearer`),
 * signed in once per local cloud and role and kept for the test run (an ID token lasts the hour template.yaml gives
 * it, longer than any test file).
 */
import { localStaffIdToken, type StaffRole } from '../../local/staff-sign-in';

export type { StaffRole } from '../../local/staff-sign-in';

export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'agent'];

/** The local cloud a test signs in to: its REST API's base URL (its GET /_local/cognito names the user pool). */
export interface StaffAuthTarget {
  apiUrl: string;
}

const tokens = new Map<string, Promise<string>>();

/** An ID token of `role` from the local cloud at `target` (signed in once, then reused). */
export function staffIdToken(target: StaffAuthTarget, role: StaffRole): Promise<string> {
  const key = `${target.apiUrl} ${role}`;
  let token = tokens.get(key);
  if (!token) {
    token = localStaffIdToken(target.apiUrl, role);
    token.catch(() => tokens.delete(key)); // a failed sign-in is tried again next time
    tokens.set(key, token);
  }
  return token;
}

/** The request headers that let `role` through a staff route of `target`. */
export async function staffHeaders(target: StaffAuthTarget, role: StaffRole): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await staffIdToken(target, role)}` };
}

/** The role whose group a staff route admits (contract): `agent` for /reservations, `admin` for everything else. */
export function staffRoleFor(path: string): StaffRole {
  const pathname = new URL(path, 'http://localhost').pathname;
  return pathname === '/reservations' || pathname.startsWith('/reservations/') ? 'agent' : 'admin';
}
