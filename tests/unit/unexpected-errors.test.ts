import './support/setup';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { RoomUnavailable } from '../../functions/shared/hotel/errors';
import { ServiceUnavailable } from '../../functions/shared/infrastructure/errors';
import { StudentExceededAllowableExamRetries } from '../../functions/shared/plagiarism/errors';
import { observedHandler } from '../../functions/shared/infrastructure/handler';
import { httpErrors } from '../../functions/shared/infrastructure/http';
import { lambdaContext, proxyEvent } from './support/lambda';

/** The embedded-metric-format lines the invocation wrote to stdout (what CloudWatch turns into metrics). */
function captureEmf(): () => Array<Record<string, any>> {
  const lines: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return () =>
    lines
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line));
}

const context = lambdaContext('stack-ReserveRoom');

beforeEach(() => {
  // setup.ts turns metrics off for the handler tests; these tests read what would reach CloudWatch.
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

afterEach(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

describe('UnexpectedErrors', () => {
  it('is published once, under FunctionName only, when a handler throws an error that is no domain error', async () => {
    const emf = captureEmf();
    const failure = new TypeError("Cannot read properties of undefined (reading 'Items')");
    const handler = observedHandler(async () => {
      throw failure;
    });

    await expect(handler({}, context)).rejects.toBe(failure);

    expect(emf()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'UnitTests',
              Dimensions: [['FunctionName']],
              Metrics: [{ Name: 'UnexpectedErrors', Unit: 'Count' }],
            },
          ],
        },
        FunctionName: 'stack-ReserveRoom',
        UnexpectedErrors: 1,
      },
    ]);
  });

  it.each([
    ['RoomUnavailable', new RoomUnavailable('No room of type single is free')],
    ['StudentExceededAllowableExamRetries', new StudentExceededAllowableExamRetries('3 exams already')],
    ['ServiceUnavailable', new ServiceUnavailable('The service is temporarily unavailable')],
  ])('is not published for the domain error %s, which still reaches the caller', async (_name, domainError) => {
    const emf = captureEmf();
    const handler = observedHandler(async () => {
      throw domainError;
    });

    await expect(handler({}, context)).rejects.toBe(domainError);

    expect(emf()).toEqual([]);
  });

  it('is not published when the invocation succeeds', async () => {
    const emf = captureEmf();
    const handler = observedHandler(async () => 'ok');

    await expect(handler({}, context)).resolves.toBe('ok');

    expect(emf()).toEqual([]);
  });

  it('counts a proxy function error that httpErrors() answers 500, which Lambda itself counts as a success', async () => {
    const emf = captureEmf();
    const handler = observedHandler<unknown, APIGatewayProxyResult>(async () => {
      throw new Error('defect');
    }).use(httpErrors());

    const response = await handler(proxyEvent({}), context);

    expect(response.statusCode).toBe(500);
    expect(emf().map((line) => [line.FunctionName, line.UnexpectedErrors])).toEqual([['stack-ReserveRoom', 1]]);
  });

  it("does not count a proxy function's domain error, answered with its own status", async () => {
    const emf = captureEmf();
    const handler = observedHandler<unknown, APIGatewayProxyResult>(async () => {
      throw new RoomUnavailable('No room');
    }).use(httpErrors());

    const response = await handler(proxyEvent({}), context);

    expect(response.statusCode).toBe(409);
    expect(emf()).toEqual([]);
  });

  it("counts middy's TimeoutError, thrown just before Lambda's own timeout would end the invocation unseen", async () => {
    const emf = captureEmf();
    const handler = observedHandler(() => new Promise<string>((resolve) => setTimeout(() => resolve('late'), 200)));

    await expect(handler({}, { ...context, getRemainingTimeInMillis: () => 20 })).rejects.toMatchObject({
      name: 'TimeoutError',
    });

    expect(emf().map((line) => line.UnexpectedErrors)).toEqual([1]);
  });
});
