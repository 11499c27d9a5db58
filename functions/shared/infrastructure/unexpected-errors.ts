/**
 * The `UnexpectedErrors` metric (embedded metric format, dimension FunctionName): one per invocation that ends in an
 * error a person must look at, which template.yaml's function alarms watch. That is every thrown error except a
 * DomainError: those are the contract's answers (ValidationError, RoomUnavailable, StudentExceededAllowableExamRetries
 * on the plagiarism workflow's normal path, ...), and ServiceUnavailable is an outage the state machines retry and the
 * API answers 503, so its lasting effects page through the workflow, API and DynamoDB alarms instead.
 *
 * Why not Lambda's own `Errors` metric: it counts every DomainError a function throws, so it cannot tell a booked-out
 * hotel from a defect, and the API's proxy functions answer even a defect with a 500 that Lambda counts as a success.
 * Subtracting a count of domain errors from `Errors` in metric math is no cure either: the two metrics are published
 * separately and can land in neighbouring periods, which would page for nothing.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { DomainError } from './errors';
import { logger } from './logger';
import { metrics } from './metrics';

/** The metric template.yaml's alarms read, in the functions' POWERTOOLS_METRICS_NAMESPACE. */
export const UNEXPECTED_ERRORS_METRIC = 'UnexpectedErrors';

/** The one dimension, named and valued as AWS/Lambda's own, so that an alarm lists a function's two metrics alike. */
export const FUNCTION_NAME_DIMENSION = 'FunctionName';

export function isUnexpectedError(error: unknown): boolean {
  return !(error instanceof DomainError);
}

/** Publishes `UnexpectedErrors` at once: the invocation's other metrics may be flushed before or after this runs. */
function publishUnexpectedError(functionName: string): void {
  const metric = metrics.singleMetric();
  // Only FunctionName: the service dimension (one value for every function) would have to be repeated in each alarm.
  metric.clearDefaultDimensions();
  metric.addDimension(FUNCTION_NAME_DIMENSION, functionName);
  metric.addMetric(UNEXPECTED_ERRORS_METRIC, MetricUnit.Count, 1);
}

/**
 * Middy middleware that counts the invocation's error when it is unexpected. It sees an error before a proxy
 * function's httpErrors() answers it (onError does not stop there), and middy's own TimeoutError, thrown shortly
 * before Lambda's timeout. It never changes the invocation's error: a failure to count is logged only.
 */
export function countUnexpectedErrors<Event, Result>(): MiddlewareObj<Event, Result, Error, Context> {
  return {
    onError: ({ error, context }) => {
      if (!isUnexpectedError(error)) return;
      try {
        publishUnexpectedError(context.functionName);
      } catch (countingError) {
        logger.warn('Could not count the unexpected error', { countingError });
      }
    },
  };
}
