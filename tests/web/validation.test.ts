import {
  isCompleteExamLink,
  isoDay,
  nightsBetween,
  parseExamLink,
  parseIsoDate,
  validateAnswers,
  validateCancellation,
  validateIncident,
  validateReservation,
} from '../../web/shared/validation';

const TODAY = '2026-03-10';
const goodStay = {
  GuestName: 'Ann Lee',
  GuestEmail: 'ann@example.com',
  RoomType: 'DELUXE',
  CheckIn: '2026-03-10',
  CheckOut: '2026-03-12',
};

describe('dates', () => {
  it('accepts real calendar dates only', () => {
    expect(parseIsoDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoDate('2025-02-29')).toBeUndefined();
    expect(parseIsoDate('2025-13-01')).toBeUndefined();
    expect(parseIsoDate('10/03/2026')).toBeUndefined();
    expect(isoDay(Date.UTC(2026, 2, 10, 23, 59))).toBe('2026-03-10');
    expect(nightsBetween('2026-03-10', '2026-04-09')).toBe(30);
  });
});

describe('incident form', () => {
  it('passes a complete incident and names every missing or malformed field', () => {
    expect(
      validateIncident({
        StudentId: 's1',
        StudentName: 'Ann',
        StudentEmail: 'ann@uni.edu',
        IncidentDate: '2026-03-01',
      }),
    ).toEqual({});
    expect(
      validateIncident({ StudentId: '', StudentName: '', StudentEmail: 'ann@', IncidentDate: '2026-02-30' }),
    ).toEqual({
      StudentId: 'Enter the student ID.',
      StudentName: "Enter the student's name.",
      StudentEmail: "Enter the student's email as name@example.com.",
      IncidentDate: 'Enter the incident date as a real date (YYYY-MM-DD).',
    });
  });
});

describe('reservation form', () => {
  it('accepts a stay starting today', () => {
    expect(validateReservation(goodStay, TODAY)).toEqual({});
  });

  it('rejects what the API rejects: past check-in, check-out not after check-in, over 30 nights, unknown room type', () => {
    expect(validateReservation({ ...goodStay, CheckIn: '2026-03-09' }, TODAY)).toEqual({
      CheckIn: 'The check-in date cannot be in the past.',
    });
    expect(validateReservation({ ...goodStay, CheckOut: '2026-03-10' }, TODAY)).toEqual({
      CheckOut: 'The check-out date must be after the check-in date.',
    });
    expect(validateReservation({ ...goodStay, CheckOut: '2026-04-09' }, TODAY)).toEqual({});
    expect(validateReservation({ ...goodStay, CheckOut: '2026-04-10' }, TODAY)).toEqual({
      CheckOut: 'A stay can be at most 30 nights.',
    });
    expect(validateReservation({ ...goodStay, RoomType: 'PENTHOUSE' }, TODAY)).toEqual({
      RoomType: 'Choose a room type: Standard, Deluxe or Suite.',
    });
    expect(
      Object.keys(
        validateReservation({ GuestName: '', GuestEmail: '', RoomType: '', CheckIn: '', CheckOut: '' }, TODAY),
      ),
    ).toEqual(['GuestName', 'GuestEmail', 'RoomType', 'CheckIn', 'CheckOut']);
  });

  it("refuses a check-in past the API's booking horizon, 730 days from today, as the API does", () => {
    // 2026-03-10 + 730 days = 2028-03-09 (2028 is a leap year).
    expect(validateReservation({ ...goodStay, CheckIn: '2028-03-09', CheckOut: '2028-03-10' }, TODAY)).toEqual({});
    expect(validateReservation({ ...goodStay, CheckIn: '2028-03-10', CheckOut: '2028-03-11' }, TODAY)).toEqual({
      CheckIn: 'The check-in date can be at most 730 days ahead (2028-03-09 at the latest).',
    });
    expect(validateReservation({ ...goodStay, CheckIn: '9999-12-30', CheckOut: '9999-12-31' }, TODAY)).toEqual({
      CheckIn: 'The check-in date can be at most 730 days ahead (2028-03-09 at the latest).',
    });
  });

  it('refuses a guest email over 254 characters, as the API does', () => {
    const longest = `${'g'.repeat(64)}@${'h'.repeat(185)}.com`;
    expect(validateReservation({ ...goodStay, GuestEmail: longest }, TODAY)).toEqual({});
    expect(validateReservation({ ...goodStay, GuestEmail: `g${longest}` }, TODAY)).toEqual({
      GuestEmail: "The guest's email can be at most 254 characters.",
    });
  });

  it('needs a reservation ID to cancel', () => {
    expect(validateCancellation({ ReservationId: '' })).toEqual({ ReservationId: 'Enter the reservation ID.' });
    expect(validateCancellation({ ReservationId: 'r-1' })).toEqual({});
  });
});

describe('exam answers and link', () => {
  it('names the unanswered questions by number, on the first of them', () => {
    expect(validateAnswers(['q1', 'q2'], { q1: 'a', q2: 'b' })).toEqual({});
    expect(validateAnswers(['q1', 'q2', 'q3'], { q1: 'a' })).toEqual({
      q2: 'Answer every question before submitting: questions 2 and 3 still need an answer.',
    });
    expect(validateAnswers(['q1', 'q2'], { q2: 'c' })).toEqual({
      q1: 'Answer every question before submitting: question 1 still needs an answer.',
    });
  });

  it('reads the emailed link, URL-decoded, and spots an incomplete one', () => {
    const link = parseExamLink('?IncidentId=i-1&ExamId=e-1&TaskToken=AAA%2B%2Fb%3D%3D');
    expect(link).toEqual({ IncidentId: 'i-1', ExamId: 'e-1', TaskToken: 'AAA+/b==' });
    expect(isCompleteExamLink(link)).toBe(true);
    expect(isCompleteExamLink(parseExamLink('?IncidentId=i-1&ExamId=&TaskToken=t'))).toBe(false);
  });
});

describe('length limits', () => {
  it("mirror the API's", () => {
    const incident = {
      StudentId: 'x'.repeat(65),
      StudentName: 'n'.repeat(201),
      StudentEmail: `${'e'.repeat(250)}@a.io`,
      IncidentDate: '2026-03-01',
      Description: 'd'.repeat(2001),
    };
    expect(validateIncident(incident)).toEqual({
      StudentId: 'The student ID can be at most 64 characters.',
      StudentName: "The student's name can be at most 200 characters.",
      StudentEmail: "The student's email can be at most 254 characters.",
      Description: 'The description can be at most 2000 characters.',
    });
    expect(validateCancellation({ ReservationId: 'r'.repeat(65) })).toEqual({
      ReservationId: 'The reservation ID can be at most 64 characters.',
    });
  });
});
