/**
 * The start-up line that names the mock configuration in use (SFN_MOCK_CONFIG): its file and, per state machine,
 * its test cases, so a user sees at once which file was taken and what `<stateMachineArn>#<TestCase>` can name.
 */
import path from 'node:path';
import type { MockConfig } from './mock-config';

export function describeMockConfig(config: MockConfig, cwd = process.cwd()): string {
  const machines = Object.entries(config.testCaseNames());
  const shown = path.relative(cwd, config.file);
  const file = shown.startsWith('..') || path.isAbsolute(shown) ? config.file : shown;
  if (machines.length === 0) return `mock configuration ${file}: no state machines, so no test cases`;
  const listed = machines.map(
    ([machine, testCases]) =>
      `${machine} (${testCases.length === 0 ? 'no test cases' : `${testCases.length} test case${testCases.length === 1 ? '' : 's'}: ${testCases.join(', ')}`})`,
  );
  return `mock configuration ${file}: ${listed.join('; ')}; start an execution of <stateMachineArn>#<TestCase> to run one`;
}
