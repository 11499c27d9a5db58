/**
 * Runs AWS's recorded TestState answers (LocalStack's AWS-validated snapshots, localstack/README.md) through our
 * TestState: each recorded answer's request (localstack/requests.json) goes to the engine's testState with the
 * Step Functions API's mock-result validation, on a virtual clock and with no service behind it (no recorded
 * request reaches one), and the answer is compared with the recorded one field by field.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  Engine,
  TestStateError,
  VirtualClock,
  type TestStateRequest,
  type TestStateResult,
} from '@serverless-workflows/sfn-engine';
import { validateMockResult } from '../../../local/sfn-api/mock-result-shapes';

const FOLDER = path.join(__dirname, 'localstack');

export interface RecordedAnswer {
  /** `<LocalStack test id> > <snapshot key>` */
  id: string;
  expected: Record<string, unknown>;
  request?: TestStateRequest;
}

export interface Comparison {
  id: string;
  agrees: boolean;
  reason?: string;
}

/** Every answer of a test that LocalStack's validation files say ran against AWS. */
export function recordedAnswers(): RecordedAnswer[] {
  const requests = JSON.parse(readFileSync(path.join(FOLDER, 'requests.json'), 'utf8')) as Record<
    string,
    TestStateRequest
  >;
  const answers: RecordedAnswer[] = [];
  for (const file of readdirSync(FOLDER).filter((name) => name.endsWith('.snapshot.json'))) {
    const snapshot = JSON.parse(readFileSync(path.join(FOLDER, file), 'utf8')) as Record<
      string,
      { 'recorded-content': Record<string, Record<string, unknown>> }
    >;
    const validated = JSON.parse(
      readFileSync(path.join(FOLDER, file.replace('.snapshot.', '.validation.')), 'utf8'),
    ) as Record<string, unknown>;
    for (const [test, entry] of Object.entries(snapshot)) {
      if (!Object.hasOwn(validated, test)) continue;
      for (const [key, expected] of Object.entries(entry['recorded-content'])) {
        const id = `${test} > ${key}`;
        answers.push({ id, expected, request: requests[id] });
      }
    }
  }
  return answers.sort((a, b) => a.id.localeCompare(b.id));
}

/** LocalStack's snapshots mask generated values as `<resource:1>`, `<uuid:1>`, `<region>`, ... and times as `date`. */
function maskedString(expected: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  if (expected === 'date' || expected === 'start-date') return !Number.isNaN(Date.parse(actual));
  if (!/<[^>]+>/.test(expected)) return expected === actual;
  const pattern = expected
    .split(/<[^>]+>/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.+?');
  return new RegExp(`^${pattern}$`).test(actual);
}

/** A recorded JSON text may have been turned into its value by LocalStack's snapshot tool, or kept as text. */
function asValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function same(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string') return maskedString(expected, actual);
  if (typeof expected === 'number' || typeof expected === 'boolean' || expected === null) return expected === actual;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((item, index) => same(item, actual[index]))
    );
  }
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
  const expectedKeys = Object.keys(expected as object);
  const actualKeys = Object.keys(actual);
  return (
    expectedKeys.length === actualKeys.length &&
    expectedKeys.every((key) => Object.hasOwn(actual, key) && same((expected as never)[key], (actual as never)[key]))
  );
}

/** Members whose values are JSON texts in TestState's answer. */
const JSON_TEXT = new Set(['output']);
const INSPECTION_TEXT = new Set(['variables']);

function normalised(answer: TestStateResult): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(answer)) result[key] = JSON_TEXT.has(key) ? asValue(value) : value;
  if (answer.inspectionData) {
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(answer.inspectionData)) {
      data[key] = typeof value === 'string' || INSPECTION_TEXT.has(key) ? asValue(value) : value;
    }
    result.inspectionData = data;
  }
  return result;
}

function expectedAnswer(expected: Record<string, unknown>): Record<string, unknown> {
  const { ResponseMetadata: _metadata, ...rest } = expected;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) result[key] = JSON_TEXT.has(key) ? asValue(value) : value;
  if (rest.inspectionData) {
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest.inspectionData as object)) data[key] = asValue(value);
    result.inspectionData = data;
  }
  return result;
}

/** The refusal AWS recorded: `{Error: {Code, Message}}`, or the exception text botocore raised with it. */
function expectedRefusal(expected: Record<string, unknown>): { code: string; message: string } | undefined {
  const error = expected.Error as { Code: string; Message: string } | undefined;
  if (error) return { code: error.Code, message: error.Message };
  const text = expected.exception_value;
  if (typeof text !== 'string') return undefined;
  const match = /^An error occurred \((\w+)\) when calling the TestState operation: ([\s\S]*)$/.exec(text);
  return match ? { code: match[1], message: match[2] } : { code: String(expected.exception_typename), message: text };
}

export async function compare(answer: RecordedAnswer): Promise<Comparison> {
  const { id, expected, request } = answer;
  if (!request)
    return { id, agrees: false, reason: 'no request (calls a real AWS service or is refused by the client)' };
  const engine = new Engine({
    clock: new VirtualClock(Date.parse('2025-12-03T00:00:00Z')),
    integrations: {
      invoke: async (task) => ({ ok: false, error: 'States.TaskFailed', cause: `No service for ${task.resource}` }),
    },
    region: 'us-east-1',
    accountId: '111111111111',
  });
  const refusal = expectedRefusal(expected);
  let result: TestStateResult;
  try {
    result = await engine.testState(request, validateMockResult);
  } catch (error) {
    if (!(error instanceof TestStateError)) throw error;
    if (refusal && refusal.code === error.code && refusal.message === error.message) return { id, agrees: true };
    return {
      id,
      agrees: false,
      reason: `refused ${error.code}: ${error.message}; AWS: ${JSON.stringify(refusal ?? expected)}`,
    };
  }
  if (refusal)
    return { id, agrees: false, reason: `answered ${JSON.stringify(result)}; AWS refused it: ${refusal.message}` };
  const wanted = expectedAnswer(expected);
  const got = normalised(result);
  if (same(wanted, got)) return { id, agrees: true };
  return { id, agrees: false, reason: `answered ${JSON.stringify(got)}; AWS: ${JSON.stringify(wanted)}` };
}
