/**
 * Wraps a handler in middy with the Powertools middlewares every function uses: the Lambda context in every log
 * line and a trace segment per invocation. Functions that count business events add `publishMetrics()`.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from './logger';
import { tracingMiddleware } from './tracing';

export function observedHandler<Event, Result>(handler: (event: Event, context: Context) => Promise<Result>) {
  return middy<Event, Result>(handler).use(injectLambdaContext(logger)).use(tracingMiddleware());
}
