/**
 * The admin form's POST /incident with an Idempotency-Key (web/admin/incident-registration.ts): one key per
 * submission, the same key for the same submission retried, a new one once answered or changed, nothing sent
 * twice at once, and the 409 IncidentAlreadyExists named for the page.
 */
import {
  IncidentAlreadyRegistered,
  IncidentRegistration,
  type RegisteredIncident,
} from '../../web/admin/incident-registration';
import { ApiError, callApi } from '../../web/shared/api';
import { newIdempotencyKey } from '../../web/shared/idempotency-key';
import type { IncidentForm } from '../../web/shared/validation';

const form: IncidentForm = {
  StudentId: 's-1',
  StudentName: 'Ann <b>Lee</b>',
  StudentEmail: 'ann@example.com',
  IncidentDate: '2026-03-01',
};
const answerFor = (key: string): RegisteredIncident => ({
  IncidentId: key,
  executionArn: `arn:aws:states:us-east-1:123456789012:execution:Plagiarism:${key}`,
  startDate: '2026-03-01T10:00:00.000Z',
});
const networkError = () => new ApiError('NetworkError', 'The service could not be reached.', 0);
const validKey = /^[A-Za-z0-9_-]{1,80}$/;

/** Keys k1, k2, ... in order, so a test can say which one was sent. */
function countingKeys(): () => string {
  let count = 0;
  return () => `k${++count}`;
}

describe('IncidentRegistration', () => {
  it('sends each submission with its own key, and a new one once the last was answered, even for equal details', async () => {
    const send = jest.fn(async (_incident: IncidentForm, key: string) => answerFor(key));
    const registration = new IncidentRegistration(send, countingKeys());

    await expect(registration.register(form)).resolves.toEqual(answerFor('k1'));
    await expect(registration.register(form)).resolves.toEqual(answerFor('k2'));

    expect(send.mock.calls).toEqual([
      [form, 'k1'],
      [form, 'k2'],
    ]);
  });

  it.each([
    ['a network failure (the answer may have been lost)', networkError()],
    ['a server error', new ApiError('InternalServerError', '', 500)],
    ['a refused API key', new ApiError('Forbidden', '', 403)],
  ])('retries the same details after %s with the same key', async (_case, failure) => {
    const send = jest
      .fn<Promise<RegisteredIncident>, [IncidentForm, string]>()
      .mockRejectedValueOnce(failure)
      .mockImplementation(async (_i, key) => answerFor(key));
    const registration = new IncidentRegistration(send, countingKeys());

    await expect(registration.register(form)).rejects.toBe(failure);
    await expect(registration.register({ ...form })).resolves.toEqual(answerFor('k1'));

    expect(send.mock.calls.map(([, key]) => key)).toEqual(['k1', 'k1']);
  });

  it('gives changed details a new key, and keeps it while they stay the same', async () => {
    const send = jest.fn<Promise<RegisteredIncident>, [IncidentForm, string]>().mockRejectedValue(networkError());
    const registration = new IncidentRegistration(send, countingKeys());

    await registration.register(form).catch(() => undefined);
    await registration.register({ ...form, StudentName: 'Ann Lee' }).catch(() => undefined);
    await registration.register({ ...form, StudentName: 'Ann Lee', Description: 'copied' }).catch(() => undefined);
    await registration.register({ ...form, StudentName: 'Ann Lee', Description: 'copied' }).catch(() => undefined);

    expect(send.mock.calls.map(([, key]) => key)).toEqual(['k1', 'k2', 'k3', 'k3']);
  });

  it('sends nothing for a submission while one is in flight (a double click), and is free again once it is answered', async () => {
    let answer!: (value: RegisteredIncident) => void;
    const send = jest.fn(() => new Promise<RegisteredIncident>((resolve) => (answer = resolve)));
    const registration = new IncidentRegistration(send, countingKeys());

    const first = registration.register(form);
    expect(registration.busy).toBe(true);
    await expect(registration.register(form)).resolves.toBeUndefined();
    await expect(registration.register({ ...form, StudentId: 's-2' })).resolves.toBeUndefined();
    answer(answerFor('k1'));

    await expect(first).resolves.toEqual(answerFor('k1'));
    expect(registration.busy).toBe(false);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('is free again after a failure too', async () => {
    const send = jest
      .fn<Promise<RegisteredIncident>, [IncidentForm, string]>()
      .mockRejectedValueOnce(networkError())
      .mockImplementation(async (_i, key) => answerFor(key));
    const registration = new IncidentRegistration(send, countingKeys());

    await expect(registration.register(form)).rejects.toBeInstanceOf(ApiError);
    expect(registration.busy).toBe(false);
    await expect(registration.register(form)).resolves.toEqual(answerFor('k1'));
  });

  it("names 409 IncidentAlreadyExists with the key's incident, and the next submission gets a new key", async () => {
    const send = jest
      .fn<Promise<RegisteredIncident>, [IncidentForm, string]>()
      .mockRejectedValueOnce(networkError())
      .mockRejectedValueOnce(
        new ApiError('IncidentAlreadyExists', 'An incident with this Idempotency-Key already exists', 409),
      )
      .mockImplementation(async (_i, key) => answerFor(key));
    const registration = new IncidentRegistration(send, countingKeys());

    await expect(registration.register(form)).rejects.toBeInstanceOf(ApiError);
    const refusal = await registration.register(form).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(IncidentAlreadyRegistered);
    expect(refusal).toMatchObject({ incidentId: 'k1' });
    await expect(registration.register(form)).resolves.toEqual(answerFor('k2'));
  });

  it('passes any other refusal on unchanged', async () => {
    const invalid = new ApiError('ValidationError', 'StudentEmail must be an email address.', 400);
    const registration = new IncidentRegistration(async () => Promise.reject(invalid), countingKeys());

    await expect(registration.register(form)).rejects.toBe(invalid);
  });

  it('by default makes keys the API accepts, all different', async () => {
    const keys: string[] = [];
    const registration = new IncidentRegistration(async (_incident, key) => {
      keys.push(key);
      return answerFor(key);
    });

    await registration.register(form);
    await registration.register(form);

    expect(keys).toEqual([expect.stringMatching(validKey), expect.stringMatching(validKey)]);
    expect(keys[0]).not.toBe(keys[1]);
  });
});

describe('through callApi, against an API that registers before its answer is lost', () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
  });

  it('sends the key as the Idempotency-Key header, and the retry is answered with the incident the lost attempt registered', async () => {
    const registered = new Map<string, string>();
    let loseNextAnswer = true;
    global.fetch = jest.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      const key = (init!.headers as Record<string, string>)['idempotency-key']!;
      if (!registered.has(key)) registered.set(key, String(init!.body));
      else if (registered.get(key) !== init!.body)
        return new Response('{"error":"IncidentAlreadyExists","message":"x"}', { status: 409 });
      if (loseNextAnswer) {
        loseNextAnswer = false;
        throw new TypeError('Failed to fetch');
      }
      return new Response(JSON.stringify(answerFor(key)), { status: 200 });
    }) as typeof fetch;
    const config = { apiBaseUrl: 'https://api.example.com/Prod' };
    const registration = new IncidentRegistration((incident, idempotencyKey) =>
      callApi<RegisteredIncident>(config, '/incident', {
        method: 'POST',
        body: incident,
        idToken: 'admin-token',
        idempotencyKey,
      }),
    );

    await expect(registration.register(form)).rejects.toMatchObject({ error: 'NetworkError' });
    const answer = await registration.register(form);

    expect(registered.size).toBe(1);
    expect(answer!.IncidentId).toBe([...registered.keys()][0]);
    expect(global.fetch).toHaveBeenLastCalledWith('https://api.example.com/Prod/incident', {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: 'Bearer admin-token',
        'idempotency-key': answer!.IncidentId,
      },
      body: JSON.stringify(form),
    });
  });
});

describe('newIdempotencyKey', () => {
  it('is a random UUID where the page may make one', () => {
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is 128 random bits in hex outside a secure context, where crypto has no randomUUID', () => {
    const insecure = { getRandomValues: crypto.getRandomValues.bind(crypto) };
    const key = newIdempotencyKey(insecure);

    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(key).toMatch(validKey);
    expect(newIdempotencyKey(insecure)).not.toBe(key);
  });
});
