/**
 * The template's API Gateway mapping templates (POST /incident, POST /reservations), rendered with the project's
 * Velocity renderer for API Gateway (local/apigw/vtl, Java semantics for numbers and String methods), must produce
 * the Step Functions requests and the contract's responses.
 */
import { loadTemplate } from '../../local/template/load';
import { renderVelocity } from '../../local/apigw/vtl/velocity';
import { templateContext, templateVariables, type TemplateContext } from '../../local/apigw/vtl/template-variables';

const INCIDENT_SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:PlagiarismStateMachine';
const CALL_CENTRE_SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:CallCentreStateMachine';
const NO_PARAMS = { path: {}, querystring: {}, header: {} };

const template = loadTemplate();
const paths = (template.Resources.Api.Properties!.DefinitionBody as { paths: Record<string, any> }).paths;
const integration = (route: string) => paths[route].post['x-amazon-apigateway-integration'];

/** A request template is an Fn::Sub over the state machine's Ref; this resolves it as CloudFormation would. */
function requestTemplate(route: string, refs: Record<string, string>): string {
  const sub = integration(route).requestTemplates['application/json']['Fn::Sub'] as string;
  return sub.replace(/\$\{([A-Za-z0-9:.]+)\}/g, (_, name: string) => {
    if (!(name in refs)) throw new Error(`unexpected \${${name}} in ${route}'s request template`);
    return refs[name];
  });
}
const responseTemplate = (route: string) =>
  integration(route).responses.default.responseTemplates['application/json'] as string;

const REQUEST_ID = 'c0ffee00-1111-2222-3333-444455556666';
/** The request context of a signed-in member of `group` (the routes' mapping templates check it: docs/security.md, 3). */
function context(requestTimeEpoch = Date.UTC(2024, 1, 29, 23, 59, 59, 7), group = 'admins'): TemplateContext {
  return templateContext({
    requestId: REQUEST_ID,
    requestTimeEpoch,
    authorizer: { claims: { 'cognito:groups': group } },
  });
}
const render = (text: string, body: unknown, ctx: TemplateContext) =>
  renderVelocity(text, templateVariables(typeof body === 'string' ? body : JSON.stringify(body), NO_PARAMS, ctx, {}));

describe('POST /incident → StartExecution', () => {
  const body = {
    StudentId: 'S-1',
    StudentName: "Siobhán O'Brien",
    StudentEmail: 'sob@example.edu',
    IncidentDate: '2024-02-28',
    Description: 'Copied "chapter 2"\nverbatim',
  };

  test('the request names the execution after the incident and passes the body with IncidentId first', () => {
    const ctx = context();
    const request = JSON.parse(
      render(requestTemplate('/incident', { PlagiarismStateMachine: INCIDENT_SM }), body, ctx),
    );
    expect(request).toEqual({ stateMachineArn: INCIDENT_SM, name: REQUEST_ID, input: expect.any(String) });
    const input = JSON.parse(request.input);
    expect(input).toEqual({ IncidentId: REQUEST_ID, ...body });
    expect(Object.keys(input)[0]).toBe('IncidentId');
  });

  test.each([
    Date.UTC(2024, 1, 29, 23, 59, 59, 7),
    Date.UTC(2000, 0, 1, 0, 0, 0, 0),
    Date.UTC(2100, 11, 31, 12, 30, 5, 999),
    Date.UTC(2026, 2, 1, 0, 0, 0, 50),
  ])('the response is {IncidentId, executionArn, startDate} with startDate in ISO-8601 (%d)', (epochMs) => {
    const ctx = context(epochMs);
    const executionArn = `arn:aws:states:us-east-1:123456789012:execution:PlagiarismStateMachine:${REQUEST_ID}`;
    const response = JSON.parse(
      render(responseTemplate('/incident'), { executionArn, startDate: epochMs / 1000 }, ctx),
    );
    expect(response).toEqual({ IncidentId: REQUEST_ID, executionArn, startDate: new Date(epochMs).toISOString() });
  });
});

describe('POST /reservations → StartSyncExecution', () => {
  test('the request runs the call-centre machine with the body as input', () => {
    const body = {
      TransactionType: 'Reserve',
      GuestName: "D'Arcy",
      GuestEmail: 'd@example.com',
      RoomType: 'SUITE',
      CheckIn: '2030-01-01',
      CheckOut: '2030-01-03',
    };
    const request = JSON.parse(
      render(
        requestTemplate('/reservations', { CallCentreStateMachine: CALL_CENTRE_SM }),
        body,
        context(undefined, 'agents'),
      ),
    );
    expect(request).toEqual({ stateMachineArn: CALL_CENTRE_SM, input: expect.any(String) });
    expect(JSON.parse(request.input)).toEqual(body);
  });

  test('a SUCCEEDED execution answers 200 with its output', () => {
    const output = {
      TransactionType: 'Cancel',
      ReservationId: 'r-1',
      Status: 'CANCELLED',
      Timestamp: '2030-01-01T00:00:00Z',
      Message: 'Cancelled.',
    };
    const ctx = context();
    const response = render(
      responseTemplate('/reservations'),
      { status: 'SUCCEEDED', output: JSON.stringify(output) },
      ctx,
    );
    expect(JSON.parse(response)).toEqual(output);
    expect(ctx.responseOverride.status).toBeUndefined();
  });

  const lambdaCause = (errorType: string, errorMessage: string) =>
    JSON.stringify({
      errorType,
      errorMessage,
      trace: [`${errorType}: ${errorMessage}`, '    at handler (app.mjs:1:1)'],
    });

  test.each([
    {
      error: 'ValidationError',
      cause: lambdaCause('ValidationError', "CheckOut must be after CheckIn (the guest's stay)"),
      status: 400,
      message: "CheckOut must be after CheckIn (the guest's stay)",
    },
    {
      error: 'UnknownTransactionType',
      cause: 'TransactionType must be "Reserve" or "Cancel".',
      status: 400,
      message: 'TransactionType must be "Reserve" or "Cancel".',
    },
    {
      error: 'RoomUnavailable',
      cause: lambdaCause('RoomUnavailable', 'No SUITE is free for every night.'),
      status: 409,
      message: 'No SUITE is free for every night.',
    },
    {
      error: 'ReservationNotFound',
      cause: lambdaCause('ReservationNotFound', 'Reservation r-9 does not exist.'),
      status: 404,
      message: 'Reservation r-9 does not exist.',
    },
  ])('a FAILED execution with $error answers $status and {"error","message"}', ({ error, cause, status, message }) => {
    const ctx = context();
    const response = render(responseTemplate('/reservations'), { status: 'FAILED', error, cause }, ctx);
    expect(JSON.parse(response)).toEqual({ error, message });
    expect(ctx.responseOverride.status).toBe(status);
  });

  test.each([
    { error: 'States.Runtime', cause: 'An error occurred while executing the state...' },
    { error: 'Lambda.Unknown', cause: 'The cause could not be determined' },
    {
      error: 'DynamoDB.TransactionCanceledException',
      cause: JSON.stringify({
        errorType: 'TransactionCanceledException',
        errorMessage: 'Transaction cancelled [ConditionalCheckFailed]',
      }),
    },
  ])(
    'a FAILED execution with an internal error ($error) answers 500 InternalServerError, naming nothing internal',
    ({ error, cause }) => {
      const ctx = context();
      const response = render(responseTemplate('/reservations'), { status: 'FAILED', error, cause }, ctx);
      expect(JSON.parse(response)).toEqual({
        error: 'InternalServerError',
        message: 'The reservation could not be processed.',
      });
      expect(response).not.toContain(error);
      expect(ctx.responseOverride.status).toBe(500);
    },
  );

  test('a TIMED_OUT execution (no error name) answers 500 InternalServerError', () => {
    const ctx = context();
    const response = render(responseTemplate('/reservations'), { status: 'TIMED_OUT' }, ctx);
    expect(JSON.parse(response)).toEqual({
      error: 'InternalServerError',
      message: 'The reservation could not be processed.',
    });
    expect(ctx.responseOverride.status).toBe(500);
  });
});
