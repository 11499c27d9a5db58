/** DescribeMapRun, ListMapRuns and UpdateMapRun (map-runs.ts). ListExecutions lists a map run's children. */
import { parseExecutionArn } from '../arns';
import type { OperationHandler } from '../context';
import { executionDoesNotExist } from '../errors';
import { listPage } from '../pagination';
import { epochSeconds } from '../wire-format';

export const describeMapRun: OperationHandler = ({ mapRuns }, request) => {
  const record = mapRuns.get(request.mapRunArn as string);
  return {
    mapRunArn: record.mapRunArn,
    executionArn: record.executionArn,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    ...(record.stopDate !== undefined ? { stopDate: epochSeconds(record.stopDate) } : {}),
    maxConcurrency: record.maxConcurrency,
    toleratedFailurePercentage: record.toleratedFailurePercentage,
    toleratedFailureCount: record.toleratedFailureCount,
    ...mapRuns.counts(record),
    // "If you have not yet redriven a Map Run, the redriveCount is 0" (DescribeMapRun's response elements).
    redriveCount: record.redriveCount ?? 0,
    ...(record.redriveDate !== undefined ? { redriveDate: epochSeconds(record.redriveDate) } : {}),
  };
};

export const listMapRuns: OperationHandler = ({ executions, mapRuns }, request) => {
  const executionArn = request.executionArn as string;
  parseExecutionArn(executionArn, false);
  if (!executions.get(executionArn)) throw executionDoesNotExist(executionArn);
  return listPage(
    mapRuns.of(executionArn),
    (record) => record.mapRunArn,
    request,
    `ListMapRuns:${executionArn}`,
    'mapRuns',
    (record) => ({
      executionArn: record.executionArn,
      mapRunArn: record.mapRunArn,
      stateMachineArn: record.stateMachineArn,
      startDate: epochSeconds(record.startDate),
      ...(record.stopDate !== undefined ? { stopDate: epochSeconds(record.stopDate) } : {}),
    }),
  );
};

export const updateMapRun: OperationHandler = ({ mapRuns }, request) => {
  mapRuns.update(request.mapRunArn as string, {
    maxConcurrency: request.maxConcurrency as number | undefined,
    toleratedFailureCount: request.toleratedFailureCount as number | undefined,
    toleratedFailurePercentage: request.toleratedFailurePercentage as number | undefined,
  });
  return {};
};
