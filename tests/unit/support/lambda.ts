/** A Lambda context and API Gateway proxy events for invoking handlers in tests. */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export function lambdaContext(functionName = 'TestFunction'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2030/01/01/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * What API Gateway's Cognito authorizer hands a staff route's function (contract, "Staff sign-in"): the ID token's
 * claims, every value a string, `cognito:groups` among them.
 */
export function signedInContext(group: string): APIGatewayProxyEvent['requestContext'] {
  return {
    authorizer: { claims: { 'cognito:groups': group, token_use: 'id', email: `${group}@example.com` } },
  } as unknown as APIGatewayProxyEvent['requestContext'];
}

/** The group a staff resource admits (agents for /reservations, admins for the incidents), none for the others. */
function groupOfResource(resource: string | undefined): string | undefined {
  if (resource?.startsWith('/reservations')) return 'agents';
  if (resource?.startsWith('/incident')) return 'admins';
  return undefined;
}

/** A proxy event; for a staff resource, signed in as a member of the group it admits unless requestContext says otherwise. */
export function proxyEvent(overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  const group = groupOfResource(overrides.resource);
  return {
    resource: '/',
    path: '/',
    httpMethod: 'GET',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: group ? signedInContext(group) : ({} as APIGatewayProxyEvent['requestContext']),
    ...overrides,
  };
}

/** Freezes `new Date()` / `Date.now()` at `iso` without faking timers the SDK mocks and middy rely on. */
export function freezeClock(iso: string): void {
  jest.useFakeTimers({
    now: new Date(iso),
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
}
