import { ApiError, apiUrl, callApi, plainMessage } from '../../web/shared/api';
import { linkProblem } from '../../web/testcentre/link-problems';

const config = { apiBaseUrl: 'https://api.example.com/Prod' };

function answer(status: number, body: string): void {
  global.fetch = jest.fn(async () => new Response(body, { status })) as typeof fetch;
}

describe('REST API calls', () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
  });

  it("sends JSON with the member of staff's ID token and reads the answer", async () => {
    answer(200, '{"IncidentId":"i1"}');
    await expect(callApi(config, '/incident', { method: 'POST', body: { a: 1 }, idToken: 'k' })).resolves.toEqual({
      IncidentId: 'i1',
    });
    expect(global.fetch).toHaveBeenCalledWith('https://api.example.com/Prod/incident', {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: 'Bearer k' },
      body: '{"a":1}',
    });
    expect(apiUrl(config, '/exam/questions', { TaskToken: 'a+b/c=' })).toBe(
      'https://api.example.com/Prod/exam/questions?TaskToken=a%2Bb%2Fc%3D',
    );
  });

  it("turns the contract's error bodies into named errors", async () => {
    answer(409, '{"error":"RoomUnavailable","message":"No SUITE room is free."}');
    await expect(callApi(config, '/reservations')).rejects.toMatchObject({
      error: 'RoomUnavailable',
      status: 409,
      message: 'No SUITE room is free.',
    });
  });

  it("names API Gateway's own rejections, network failures and unreadable answers", async () => {
    answer(401, '{"error":"Unauthorized","message":"The incoming token has expired"}');
    const unauthorized = await callApi(config, '/incidents').catch((e: unknown) => e);
    expect(unauthorized).toMatchObject({ error: 'Unauthorized', status: 401 });
    expect(plainMessage(unauthorized)).toBe('Your sign-in has expired or is not valid. Sign in again and retry.');
    answer(403, '{"message":"Forbidden"}');
    const forbidden = await callApi(config, '/incidents').catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ error: 'Forbidden', status: 403 });
    expect(plainMessage(forbidden)).toBe('Your account may not do this. Sign in with an account of the right group.');
    answer(502, '<html>Bad gateway</html>');
    expect(plainMessage(await callApi(config, '/incidents').catch((e: unknown) => e))).toBe(
      'Something went wrong on the server. Please try again in a moment.',
    );
    answer(200, 'not json');
    await expect(callApi(config, '/incidents')).rejects.toMatchObject({ error: 'InvalidResponse' });
    global.fetch = jest.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const offline = await callApi(config, '/incidents').catch((e: unknown) => e);
    expect(plainMessage(offline)).toBe('The service could not be reached. Check your connection and try again.');
  });

  it('explains each unusable Testing Centre link in its own words', () => {
    expect(linkProblem(new ApiError('ExamExpired', 'x', 410))).toMatch(/expired/);
    expect(linkProblem(new ApiError('ExamClosed', 'x', 410))).toMatch(/closed: the plagiarism process .* was stopped/);
    expect(linkProblem(new ApiError('ExamAlreadySubmitted', 'x', 409))).toMatch(/already been submitted/);
    expect(linkProblem('submitted')).toMatch(/already been submitted/);
    expect(linkProblem(new ApiError('InvalidToken', 'x', 403))).toMatch(/not valid/);
    expect(linkProblem(new ApiError('ExamNotFound', 'x', 404))).toMatch(/no such exam/);
    expect(linkProblem('incomplete')).toMatch(/exam link from your email/);
    expect(linkProblem(new ApiError('ValidationError', 'x', 400))).toBeUndefined();
  });
});
