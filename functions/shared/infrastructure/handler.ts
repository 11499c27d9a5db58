/**
 * Wraps a handler in middy with the middlewares every function uses: the Lambda context in every log line, a trace
 * segment per invocation and the UnexpectedErrors metric the alarms watch. Functions that count business events add
 * `publishMetrics()`.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from './logger';
import { tracingMiddleware } from './tracing';
import { countUnexpectedErrors } from './unexpected-errors';

export function observedHandler<Event, Result>(handler: (event: Event, context: Context) => Promise<Result>) {
  // logEvent pinned off: events carry guests' and students' names and emails, and SendExamNotification's the task
  // token; POWERTOOLS_LOGGER_LOG_EVENT=true set on a function must not log them (docs/security.md, section 5).
  return middy<Event, Result>(handler)
    .use(injectLambdaContext(logger, { logEvent: false }))
    .use(tracingMiddleware())
    .use(countUnexpectedErrors<Event, Result>());
}
