/**
 * CloudWatch metrics (embedded metric format) for the business numbers: reservations made and cancelled,
 * exams scheduled, passed and failed, administrative actions. Namespace and service come from POWERTOOLS_*.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { logger } from './logger';

// Metrics' own warnings (e.g. an invocation that failed before counting anything) go to the structured log.
export const metrics = new Metrics({ logger });

/** Counts one occurrence (or `count`) of a business event in this invocation's metrics. */
export function countMetric(name: string, count = 1): void {
  metrics.addMetric(name, MetricUnit.Count, count);
}

/** Middy middleware that flushes this invocation's metrics when it ends, successfully or not. */
export function publishMetrics() {
  return logMetrics(metrics);
}
