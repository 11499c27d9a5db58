/**
 * Regressions found by the generated hostile-input tests (tests/hostile), in the API's definition.
 *
 * POST /reservations answered a body over Step Functions' 256 KB input limit with 500 InternalServerError (the
 * integration mapped every 4xx of StartSyncExecution to 500): it is the caller's request, so 400 ValidationError.
 *
 * POST /incident's request model let
 * through impossible dates (2026-02-30, 2026-02-29) and names with control characters or lone surrogates, which
 * the workflow then stored and SendExamNotificationFunction refused after the 200. The model is checked here as
 * both validators run it: ajv draft-04 with Unicode regexes (the local emulator) and plain ECMAScript 5 regexes
 * (API Gateway's java-json-tools).
 */
import Ajv from 'ajv-draft-04';
import { loadTemplate } from '../../local/template/load';

const api = loadTemplate().Resources.Api.Properties as {
  DefinitionBody: { components: { schemas: Record<string, any> }; paths: Record<string, any> };
};
const model = api.DefinitionBody.components.schemas.IncidentRequest;
const validate = new Ajv({ strict: false }).compile(model);

const valid = {
  StudentId: 'S-1',
  StudentName: 'Zoë Ångström 😀 שלום',
  StudentEmail: 'zoe@example.edu',
  IncidentDate: '2024-02-29',
  Description: 'Copied two paragraphs.\r\nSecond line,\tindented.',
};

/** The pattern as API Gateway runs it: an ECMAScript 5 regex, without the u flag. */
const es5 = (field: string) => new RegExp(model.properties[field].pattern);

describe('the POST /incident request model', () => {
  it('accepts a valid incident with accents, emoji, right-to-left text and a multi-line description', () => {
    expect(validate(valid)).toBe(true);
    for (const field of ['StudentId', 'StudentName', 'IncidentDate', 'Description']) {
      expect(es5(field).test(valid[field as keyof typeof valid])).toBe(true);
    }
  });

  it.each(['2026-02-30', '2026-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-2-3', '2026-02-03T00:00:00Z'])(
    'refuses the IncidentDate %s',
    (date) => {
      expect(validate({ ...valid, IncidentDate: date })).toBe(false);
      expect(es5('IncidentDate').test(date)).toBe(false);
    },
  );

  it.each(['2024-02-29', '2000-02-29', '2026-12-31', '2026-04-30', '2026-02-28'])('accepts the IncidentDate %s', (date) => {
    expect(validate({ ...valid, IncidentDate: date })).toBe(true);
    expect(es5('IncidentDate').test(date)).toBe(true);
  });

  it.each([
    ['a lone surrogate', 'Ada \ud800'],
    ['NUL', 'Ada\u0000'],
    ['a line break', 'Ada\r\nBcc: x@example.com'],
    ['a tab', 'Ada\tL'],
    ['a C1 control', 'Ada\u0085'],
  ])('refuses a StudentName or StudentId with %s', (_case, text) => {
    expect(validate({ ...valid, StudentName: text })).toBe(false);
    expect(validate({ ...valid, StudentId: text })).toBe(false);
    expect(es5('StudentName').test(text)).toBe(false);
    expect(es5('StudentId').test(text)).toBe(false);
  });

  it.each([
    ['a lone surrogate', 'text \udc00'],
    ['NUL', 'text\u0000'],
    ['an escape sequence', 'text\u001b[31m'],
  ])('refuses a Description with %s', (_case, text) => {
    expect(validate({ ...valid, Description: text })).toBe(false);
    expect(es5('Description').test(text)).toBe(false);
  });
});

describe('the POST /reservations integration responses', () => {
  const responses = api.DefinitionBody.paths['/reservations'].post['x-amazon-apigateway-integration'].responses as Record<string, { statusCode: string; responseTemplates: Record<string, string> }>;
  /** The response a status of StartSyncExecution selects: exactly one selection pattern may match it. */
  const selected = (status: number) => {
    const matches = Object.keys(responses).filter((pattern) => pattern !== 'default' && new RegExp(`^(?:${pattern})$`).test(String(status)));
    expect(matches).toHaveLength(1);
    return responses[matches[0]];
  };

  it('answers a refused input (400, over 256 KB) with 400 ValidationError', () => {
    const response = selected(400);
    expect(response.statusCode).toBe('400');
    expect(JSON.parse(response.responseTemplates['application/json'])).toEqual({ error: 'ValidationError', message: expect.stringContaining('256 KB') });
  });

  it.each([403, 404, 409, 429, 500, 503])('answers %i (our failure) with 500 InternalServerError', (status) => {
    const response = selected(status);
    expect(response.statusCode).toBe('500');
    expect(JSON.parse(response.responseTemplates['application/json']).error).toBe('InternalServerError');
  });
});
