/**
 * Wraps a handler in middy with the Powertools middlewares every function uses: the Lambda context in every
 * log line, a trace segment per invocation and, for functions that count business events, metrics flushed at
 * the end of each invocation.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { logger } from './logger';
import { metrics } from './metrics';
import { tracingMiddleware } from './tracing';

export function observedHandler<Event, Result>(
  handler: (event: Event, context: Context) => Promise<Result>,
  options: { publishesMetrics?: boolean } = {},
) {
  const wrapped = middy<Event, Result>(handler).use(injectLambdaContext(logger)).use(tracingMiddleware());
  return options.publishesMetrics ? wrapped.use(logMetrics(metrics)) : wrapped;
}
