/**
 * StartExecution, StartSyncExecution, DescribeExecution, ListExecutions, StopExecution, GetExecutionHistory
 * and DescribeStateMachineForExecution, with AWS's rules (docs/stepfunctions-local.md §2.3): idempotent
 * StartExecution for STANDARD, EXPRESS executions only through StartSyncExecution's answer (their
 * describe/stop/history are refused like on AWS), `<stateMachineArn>#<TestCase>` for mock test cases.
 */
import crypto from 'node:crypto';
import { DefinitionError, type ExecutionInfo } from '@serverless-workflows/sfn-engine';
import { expressExecutionArn, parseExecutionArn, splitTestCase, standardExecutionArn } from '../arns';
import type { OperationHandler, SfnApiContext } from '../context';
import {
  executionAlreadyExists,
  executionDoesNotExist,
  invalidDefinition,
  invalidExecutionInput,
  stateMachineTypeNotSupported,
  validationException,
} from '../errors';
import { eventsOf, infoOf, type ExecutionEntry } from '../executions';
import { withStepFunctionsLocalNames } from '../sfn-local-mode';
import type { MockTestCase } from '../mock-config/mock-config';
import type { ExecutionMeta, StateMachineRecord } from '../model';
import { assertValidName } from '../names';
import { paginate } from '../pagination';
import { redriveCounters, redriveState } from '../redrive-status';
import { definitionProblems } from '../state-machines';
import { executionFilter, resolveStartTarget } from '../start-target';
import { newTraceId, parseTraceHeader } from '../../xray/trace-header';
import { epochSeconds, historyEventToWire, jsonText } from '../wire-format';

function parseInput(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch (error) {
    throw invalidExecutionInput((error as Error).message);
  }
}

function resolveTestCase(
  context: SfnApiContext,
  record: StateMachineRecord,
  definition: string,
  testCase: string | undefined,
): MockTestCase | undefined {
  if (testCase === undefined) return undefined;
  if (!context.mockConfig) {
    throw validationException(
      `'${record.stateMachineArn}#${testCase}' selects the mock test case '${testCase}' but no mock config file is loaded (set SFN_MOCK_CONFIG)`,
    );
  }
  return context.mockConfig.current().testCase(record.name, testCase, definition);
}

/** The checks and the start shared by StartExecution and StartSyncExecution. */
function launch(
  context: SfnApiContext,
  request: Record<string, unknown>,
  via: 'StartExecution' | 'StartSyncExecution',
): ExecutionEntry {
  const { stateMachineArn: targetArn, testCase } = splitTestCase(request.stateMachineArn as string);
  const target = resolveStartTarget(context, targetArn);
  const record = target.stateMachine;
  if (via === 'StartSyncExecution' && record.type !== 'EXPRESS') throw stateMachineTypeNotSupported();
  const name = (request.name as string | undefined) ?? crypto.randomUUID();
  assertValidName(name);
  const rawInput = (request.input as string | undefined) ?? '{}';
  const input = parseInput(rawInput);
  const mocks = resolveTestCase(context, record, target.revision.definition, testCase);

  const executionArn =
    record.type === 'EXPRESS'
      ? expressExecutionArn(context.scope, record.name, name, crypto.randomUUID())
      : standardExecutionArn(context.scope, record.name, name);
  const existing = context.executions.get(executionArn);
  if (existing) {
    // STANDARD is idempotent: the same name and input while it runs returns the running execution.
    if (infoOf(existing).status === 'RUNNING' && existing.meta.input === rawInput) return existing;
    throw executionAlreadyExists(executionArn);
  }
  const { definition, roleArn, loggingConfiguration, tracingConfiguration, revisionId, updateDate } = target.revision;
  const meta = {
    executionArn,
    stateMachineArn: record.stateMachineArn,
    stateMachineName: record.name,
    ...(target.stateMachineVersionArn ? { stateMachineVersionArn: target.stateMachineVersionArn } : {}),
    ...(target.stateMachineAliasArn ? { stateMachineAliasArn: target.stateMachineAliasArn } : {}),
    name,
    type: record.type,
    input: rawInput,
    traceHeader: request.traceHeader as string | undefined,
    ...(tracingConfiguration.enabled
      ? {
          traceId: parseTraceHeader(request.traceHeader as string | undefined)?.root ?? newTraceId(context.clock.now()),
        }
      : {}),
    testCase,
    stateMachine: { definition, roleArn, loggingConfiguration, tracingConfiguration, revisionId, updateDate },
  };
  try {
    return context.executions.start(meta, input, mocks);
  } catch (error) {
    // The definition was validated when it was created; an engine that still refuses it says why.
    if (error instanceof DefinitionError) throw invalidDefinition(definitionProblems(error.diagnostics));
    throw error;
  }
}

export const startExecution: OperationHandler = (context, request) => {
  const entry = launch(context, request, 'StartExecution');
  return { executionArn: entry.meta.executionArn, startDate: epochSeconds(infoOf(entry).startDate) };
};

/** Billed like AWS: duration rounded up to 100 ms, 64 MB. */
const billingDetails = (info: ExecutionInfo) => ({
  billedDurationInMilliseconds: Math.max(
    100,
    Math.ceil(((info.stopDate ?? info.startDate) - info.startDate) / 100) * 100,
  ),
  billedMemoryUsedInMB: 64,
});

/** Always 200: a failed execution is reported in status/error/cause. */
export const startSyncExecution: OperationHandler = async (context, request) => {
  const entry = launch(context, request, 'StartSyncExecution');
  const info = await entry.live!.done;
  const included = request.includedData !== 'METADATA_ONLY';
  return {
    executionArn: info.executionArn,
    stateMachineArn: info.stateMachineArn,
    name: info.name,
    startDate: epochSeconds(info.startDate),
    stopDate: epochSeconds(info.stopDate ?? context.clock.now()),
    status: info.status,
    ...(info.error !== undefined ? { error: info.error } : {}),
    ...(info.cause !== undefined ? { cause: info.cause } : {}),
    ...(included ? { input: entry.meta.input } : {}),
    inputDetails: { included },
    ...(included && info.status === 'SUCCEEDED' ? { output: jsonText(info.output) } : {}),
    outputDetails: { included },
    ...(entry.meta.traceHeader !== undefined ? { traceHeader: entry.meta.traceHeader } : {}),
    billingDetails: billingDetails(info),
  };
};

/** A STANDARD execution by ARN; Express ARNs are refused like on AWS. */
export function standardExecution(context: SfnApiContext, executionArn: string): ExecutionEntry {
  parseExecutionArn(executionArn, false);
  const entry = context.executions.get(executionArn);
  if (!entry) throw executionDoesNotExist(executionArn);
  return entry;
}

/**
 * An execution as ListExecutions lists it (without its redrive counters); DescribeExecution's answer begins with it. An
 * execution started through a version or an alias names them (LocalStack's AWS-validated test_sfn_api_aliasing).
 */
const executionSummary = (context: SfnApiContext, { meta }: ExecutionEntry, info: ExecutionInfo) => ({
  executionArn: info.executionArn,
  stateMachineArn: info.stateMachineArn,
  ...(meta.stateMachineVersionArn ? { stateMachineVersionArn: meta.stateMachineVersionArn } : {}),
  ...(meta.stateMachineAliasArn ? { stateMachineAliasArn: meta.stateMachineAliasArn } : {}),
  ...(meta.mapRunArn ? { mapRunArn: meta.mapRunArn } : {}),
  name: info.name,
  status: statusOf(context, meta, info),
  startDate: epochSeconds(info.startDate),
  ...(info.stopDate !== undefined ? { stopDate: epochSeconds(info.stopDate) } : {}),
});

/** PENDING_REDRIVE for a map run's unsuccessful child waiting for its redrive (map-runs.ts), else the engine's. */
function statusOf(context: SfnApiContext, meta: ExecutionMeta, info: ExecutionInfo): string {
  return context.mapRuns.awaitsRedrive(meta) ? 'PENDING_REDRIVE' : info.status;
}

/** DescribeExecution's answer (also the local dashboard's, which shows Express executions too). */
export function describeExecution(context: SfnApiContext, entry: ExecutionEntry, included = true) {
  const info = infoOf(entry);
  return {
    ...executionSummary(context, entry, info),
    ...(included ? { input: entry.meta.input } : {}),
    inputDetails: { included },
    ...(info.status === 'SUCCEEDED'
      ? { ...(included ? { output: jsonText(info.output) } : {}), outputDetails: { included } }
      : {}),
    ...(info.error !== undefined ? { error: info.error } : {}),
    ...(info.cause !== undefined ? { cause: info.cause } : {}),
    ...(entry.meta.traceHeader !== undefined ? { traceHeader: entry.meta.traceHeader } : {}),
    ...redriveCounters(entry),
    ...redriveState(context, entry),
  };
}

export const describeExecutionOperation: OperationHandler = (context, request) =>
  describeExecution(
    context,
    standardExecution(context, request.executionArn as string),
    request.includedData !== 'METADATA_ONLY',
  );

export const listExecutions: OperationHandler = (context, request) => {
  const arn = (request.stateMachineArn ?? request.mapRunArn) as string;
  const { type, matches } = executionFilter(
    context,
    request.stateMachineArn as string | undefined,
    request.mapRunArn as string | undefined,
  );
  if (type === 'EXPRESS') throw stateMachineTypeNotSupported();
  const statusFilter = request.statusFilter as string | undefined;
  if (statusFilter === 'PENDING_REDRIVE' && request.stateMachineArn !== undefined) {
    // AWS: "If you provide a stateMachineArn and a PENDING_REDRIVE statusFilter, the API returns a validation
    // exception" (ListExecutions, statusFilter); its message is not documented, this one is ours.
    throw validationException('The PENDING_REDRIVE statusFilter can only be used with a mapRunArn');
  }
  const redriveFilter = request.redriveFilter as 'REDRIVEN' | 'NOT_REDRIVEN' | undefined;
  const matching = context.executions
    .all()
    .filter((entry) => matches(entry.meta))
    .map((entry) => ({ entry, info: infoOf(entry) }))
    .filter(({ entry, info }) => statusFilter === undefined || statusOf(context, entry.meta, info) === statusFilter)
    .filter(
      ({ info }) => redriveFilter === undefined || (redriveFilter === 'REDRIVEN') === (info.redriveCount ?? 0) > 0,
    )
    .sort((a, b) => b.info.startDate - a.info.startDate || a.info.executionArn.localeCompare(b.info.executionArn));
  const { page, nextToken } = paginate(matching, ({ info }) => info.executionArn, {
    maxResults: request.maxResults as number | undefined,
    nextToken: request.nextToken as string | undefined,
    scope: `ListExecutions:${arn}:${statusFilter ?? ''}:${request.redriveFilter ?? ''}`,
  });
  return {
    executions: page.map(({ entry, info }) => ({
      ...executionSummary(context, entry, info),
      ...redriveCounters(entry),
    })),
    ...(nextToken ? { nextToken } : {}),
  };
};

/** Stopping an execution that has already ended changes nothing and answers its stop date. */
export const stopExecution: OperationHandler = (context, request) => {
  const entry = standardExecution(context, request.executionArn as string);
  if (infoOf(entry).status === 'RUNNING' && entry.live) {
    context.engine.stop(
      entry.meta.executionArn,
      request.error as string | undefined,
      request.cause as string | undefined,
    );
  }
  return { stopDate: epochSeconds(infoOf(entry).stopDate ?? context.clock.now()) };
};

export const getExecutionHistory: OperationHandler = (context, request) => {
  const entry = standardExecution(context, request.executionArn as string);
  const events = [...eventsOf(entry)];
  if (request.reverseOrder === true) events.reverse();
  const { page, nextToken } = paginate(events, (event) => String(event.id), {
    maxResults: request.maxResults as number | undefined,
    nextToken: request.nextToken as string | undefined,
    scope: `GetExecutionHistory:${entry.meta.executionArn}:${request.reverseOrder === true}`,
  });
  const includeExecutionData = request.includeExecutionData !== false;
  return {
    events: page.map((event) =>
      historyEventToWire(
        context.stepFunctionsLocalMode ? withStepFunctionsLocalNames(event) : event,
        includeExecutionData,
      ),
    ),
    ...(nextToken ? { nextToken } : {}),
  };
};

/** The state machine revision the execution runs with (a later UpdateStateMachine does not change it). */
export const describeStateMachineForExecution: OperationHandler = (context, request) => {
  const { meta } = standardExecution(context, request.executionArn as string);
  const revision = meta.stateMachine;
  return {
    stateMachineArn: meta.stateMachineArn,
    name: meta.stateMachineName,
    // METADATA_ONLY: no definition, as DescribeStateMachine answers it.
    ...(request.includedData !== 'METADATA_ONLY' ? { definition: revision.definition } : {}),
    roleArn: revision.roleArn,
    updateDate: epochSeconds(revision.updateDate),
    loggingConfiguration: revision.loggingConfiguration,
    tracingConfiguration: revision.tracingConfiguration,
    ...(revision.revisionId ? { revisionId: revision.revisionId } : {}),
    // A map run's child: its map run and the Map's label (`<stateMachineName>/<label>`).
    ...(meta.mapRunArn
      ? { mapRunArn: meta.mapRunArn, label: meta.stateMachineName.slice(meta.stateMachineName.indexOf('/') + 1) }
      : {}),
  };
};
