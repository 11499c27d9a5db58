/**
 * Form checks that mirror the REST API's (docs/contract.md), so most mistakes are shown next to the field
 * before a request is sent. The API stays the authority: its ValidationError message is shown as well.
 * Each function returns field name → message; an empty object means valid.
 */
export type FieldErrors = Record<string, string>;

const ROOM_TYPES = ['STANDARD', 'DELUXE', 'SUITE'] as const;
/** The longest stay the API accepts. */
export const MAX_NIGHTS = 30;
/** The API's booking horizon: a stay may begin at most this many days (two years) after today. */
export const MAX_DAYS_AHEAD = 730;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Epoch ms of a valid `YYYY-MM-DD` calendar date (UTC midnight), else undefined (so 2025-02-30 is rejected). */
export function parseIsoDate(value: string): number | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? ms
    : undefined;
}

/** Today's date as `YYYY-MM-DD` in UTC, the API's calendar. */
export function isoDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

export function nightsBetween(checkIn: string, checkOut: string): number | undefined {
  const from = parseIsoDate(checkIn);
  const to = parseIsoDate(checkOut);
  return from === undefined || to === undefined ? undefined : Math.round((to - from) / DAY_MS);
}

/** The API's length limits (template.yaml's IncidentRequest model, the functions' request schemas). */
export const MAX_LENGTH = {
  StudentId: 64,
  StudentName: 200,
  StudentEmail: 254,
  Description: 2000,
  GuestName: 200,
  GuestEmail: 254,
  ReservationId: 64,
} as const;

function required(errors: FieldErrors, field: keyof typeof MAX_LENGTH, value: string, label: string): void {
  if (value === '') errors[field] = `Enter the ${label}.`;
  else if (value.length > MAX_LENGTH[field])
    errors[field] = `The ${label} can be at most ${MAX_LENGTH[field]} characters.`;
}

function email(errors: FieldErrors, field: 'StudentEmail' | 'GuestEmail', value: string, label: string): void {
  required(errors, field, value, label);
  if (!errors[field] && !EMAIL.test(value)) errors[field] = `Enter the ${label} as name@example.com.`;
}

function date(errors: FieldErrors, field: string, value: string, label: string): void {
  if (value === '') errors[field] = `Enter the ${label}.`;
  else if (parseIsoDate(value) === undefined) errors[field] = `Enter the ${label} as a real date (YYYY-MM-DD).`;
}

export interface IncidentForm {
  StudentId: string;
  StudentName: string;
  StudentEmail: string;
  IncidentDate: string;
  Description?: string;
}

export function validateIncident(form: IncidentForm): FieldErrors {
  const errors: FieldErrors = {};
  required(errors, 'StudentId', form.StudentId, 'student ID');
  required(errors, 'StudentName', form.StudentName, "student's name");
  email(errors, 'StudentEmail', form.StudentEmail, "student's email");
  date(errors, 'IncidentDate', form.IncidentDate, 'incident date');
  if ((form.Description ?? '').length > MAX_LENGTH.Description)
    errors.Description = `The description can be at most ${MAX_LENGTH.Description} characters.`;
  return errors;
}

export interface ReserveForm {
  GuestName: string;
  GuestEmail: string;
  RoomType: string;
  CheckIn: string;
  CheckOut: string;
}

/** `today` is `YYYY-MM-DD` (UTC): a stay may start today but not before. */
export function validateReservation(form: ReserveForm, today: string): FieldErrors {
  const errors: FieldErrors = {};
  required(errors, 'GuestName', form.GuestName, "guest's name");
  email(errors, 'GuestEmail', form.GuestEmail, "guest's email");
  if (!(ROOM_TYPES as readonly string[]).includes(form.RoomType))
    errors.RoomType = 'Choose a room type: Standard, Deluxe or Suite.';
  date(errors, 'CheckIn', form.CheckIn, 'check-in date');
  date(errors, 'CheckOut', form.CheckOut, 'check-out date');
  if (!errors.CheckIn && form.CheckIn < today) errors.CheckIn = 'The check-in date cannot be in the past.';
  else if (!errors.CheckIn && nightsBetween(today, form.CheckIn)! > MAX_DAYS_AHEAD) {
    const last = isoDay(parseIsoDate(today)! + MAX_DAYS_AHEAD * DAY_MS);
    errors.CheckIn = `The check-in date can be at most ${MAX_DAYS_AHEAD} days ahead (${last} at the latest).`;
  }
  if (!errors.CheckIn && !errors.CheckOut) {
    const nights = nightsBetween(form.CheckIn, form.CheckOut)!;
    if (nights < 1) errors.CheckOut = 'The check-out date must be after the check-in date.';
    else if (nights > MAX_NIGHTS) errors.CheckOut = `A stay can be at most ${MAX_NIGHTS} nights.`;
  }
  return errors;
}

export function validateCancellation(form: { ReservationId: string }): FieldErrors {
  const errors: FieldErrors = {};
  required(errors, 'ReservationId', form.ReservationId, 'reservation ID');
  return errors;
}

/** Every question needs a choice; the message names the questions (by number) still unanswered. */
export function validateAnswers(
  questionIds: readonly string[],
  answers: Readonly<Record<string, string>>,
): FieldErrors {
  const missing = questionIds
    .map((id, i) => (answers[id] ? undefined : i + 1))
    .filter((n): n is number => n !== undefined);
  if (missing.length === 0) return {};
  const list =
    missing.length === 1
      ? `question ${missing[0]}`
      : `questions ${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  return {
    [questionIds[missing[0]! - 1]!]:
      `Answer every question before submitting: ${list} still ${missing.length === 1 ? 'needs' : 'need'} an answer.`,
  };
}

/** The link parameters the Testing Centre needs; undefined fields are missing from the link. */
export interface ExamLink {
  IncidentId?: string;
  ExamId?: string;
  TaskToken?: string;
}

export function parseExamLink(search: string): ExamLink {
  const params = new URLSearchParams(search);
  const get = (name: string): string | undefined => params.get(name)?.trim() || undefined;
  return { IncidentId: get('IncidentId'), ExamId: get('ExamId'), TaskToken: get('TaskToken') };
}

export function isCompleteExamLink(link: ExamLink): link is Required<ExamLink> {
  return link.IncidentId !== undefined && link.ExamId !== undefined && link.TaskToken !== undefined;
}
