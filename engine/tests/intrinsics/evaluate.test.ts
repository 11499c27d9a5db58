import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { StatesError } from '../../src/errors/states-error';
import { evaluateIntrinsic } from '../../src/intrinsics/evaluate';

/** A resolver for the dotted paths the tests use; a missing path fails like the interpreter's resolver does. */
function resolverFor(input: unknown, context: unknown = {}) {
  return (source: string): unknown => {
    const [root, ...keys] = source.startsWith('$$')
      ? ['$$', ...source.slice(3).split('.').filter(Boolean)]
      : ['$', ...source.slice(2).split('.').filter(Boolean)];
    let value: unknown = root === '$$' ? context : input;
    for (const key of keys) {
      if (typeof value !== 'object' || value === null || !(key in value)) {
        throw new StatesError(
          'States.Runtime',
          `The JsonPath argument for the field '${source}' could not be found in the input '${JSON.stringify(input)}'`,
        );
      }
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
}

function failure(expression: string, input: unknown = {}): { error: string; cause?: string } {
  try {
    evaluateIntrinsic(expression, resolverFor(input));
  } catch (error) {
    if (error instanceof StatesError) return { error: error.error, cause: error.cause };
    throw error;
  }
  throw new Error(`${expression} did not fail`);
}

const evaluate = (expression: string, input: unknown = {}) => evaluateIntrinsic(expression, resolverFor(input));

describe('AWS-recorded intrinsic executions (engine/tests/conformance/cases)', () => {
  const dir = path.resolve(__dirname, '../conformance/cases');
  const cases = readdirSync(dir)
    .map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')))
    .filter((c) => c.id.startsWith('intrinsic_functions.') && c.queryLanguage === 'JSONPath');
  const runnable = cases.filter((c) => {
    const states = Object.values(c.definition.States) as Array<{ Type: string; Parameters?: Record<string, string> }>;
    return states.length === 1 && states[0]!.Type === 'Pass' && states[0]!.Parameters?.['FunctionResult.$'];
  });

  it('finds the recorded cases', () => {
    expect(runnable.length).toBeGreaterThan(60);
  });

  it.each(runnable.map((c) => [c.id, c]))('%s', (_id, c) => {
    const state = Object.values(c.definition.States)[0] as { Parameters: Record<string, string> };
    const result = evaluate(state.Parameters['FunctionResult.$']!, c.input);
    expect(JSON.parse(JSON.stringify({ FunctionResult: result }))).toEqual(c.expected.output);
  });
});

describe('happy paths', () => {
  it('nests calls and reads context paths', () => {
    expect(
      evaluateIntrinsic(
        "States.Format('{}-{}', $$.Execution.Name, States.ArrayLength($.items))",
        resolverFor({ items: [1, 2] }, { Execution: { Name: 'run' } }),
      ),
    ).toBe('run-2');
    expect(
      evaluate(
        "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.arn, '/'), 2), '.'), 0)",
        { arn: 'a/b/c.d' },
      ),
    ).toBe('c');
  });

  it('keeps escaped quotes, braces and backslashes in literals', () => {
    expect(evaluate("States.Format('Name: \\'{}\\', Surname: \"{}\"', $.a, $.b)", { a: 'G', b: 'M' })).toBe(
      'Name: \'G\', Surname: "M"',
    );
    expect(evaluate("States.Format('\\{\\}{} \\\\', $.a)", { a: 'x' })).toBe('{}x \\');
  });

  it('renders Format arguments like Java', () => {
    expect(
      evaluate("States.Format('{}|{}|{}|{}', $.n, $.b, $.o, $.a)", {
        n: null,
        b: false,
        o: { k: [1, 'x'] },
        a: [1, { z: true }],
      }),
    ).toBe('null|false|{k=[1, x]}|[1, {z=true}]');
  });

  it('reads literal arguments of every kind', () => {
    expect(evaluate("States.Array('a', 1, -2.5, true, false, null, $)", { x: 1 })).toEqual([
      'a',
      1,
      -2.5,
      true,
      false,
      null,
      { x: 1 },
    ]);
    expect(evaluate('States.Array()')).toEqual([]);
  });

  it('implements the array functions with AWS truncation', () => {
    expect(evaluate('States.ArrayPartition(States.Array(1,2,3,4,5), 2.6)')).toEqual([[1, 2], [3, 4], [5]]);
    expect(evaluate('States.ArrayRange(1.6, 5.4, 2)')).toEqual([1, 3, 5]);
    expect(evaluate('States.ArrayRange(5, 1, -2)')).toEqual([5, 3, 1]);
    expect(evaluate('States.ArrayRange(5, 1, 1)')).toEqual([]);
    expect(evaluate('States.ArrayRange(1, 1000, 1)')).toHaveLength(1000);
    expect(evaluate('States.ArrayGetItem($.a, 1.2)', { a: [10, 20, 30] })).toBe(20);
    expect(evaluate('States.ArrayGetItem($.a, 999)', { a: [] })).toBeNull();
    expect(evaluate('States.ArrayUnique($.a)', { a: [1, 1, { a: 1, b: 2 }, { b: 2, a: 1 }, [null], [null]] })).toEqual([
      1,
      { a: 1, b: 2 },
      [null],
    ]);
    expect(evaluate('States.ArrayContains($.a, $.v)', { a: [{ x: [1] }], v: { x: [1] } })).toBe(true);
  });

  it('implements encoding, hashing, JSON and math functions', () => {
    expect(evaluate("States.Base64Decode(States.Base64Encode('✓ data'))")).toBe('✓ data');
    expect(evaluate("States.Hash('hello', 'MD5')")).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(evaluate("States.Hash('hello', 'SHA-384')")).toBe(
      '59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f',
    );
    expect(evaluate("States.Hash(123, 'SHA-256')")).toBe(evaluate("States.Hash('123', 'SHA-256')"));
    expect(evaluate("States.StringToJson(' ')")).toBeNull();
    expect(evaluate('States.JsonMerge($.a, $.b, false)', { a: { x: 1, y: { p: 1 } }, b: { y: { q: 2 } } })).toEqual({
      x: 1,
      y: { q: 2 },
    });
    expect(evaluate('States.MathAdd(-0.5, 0.5)')).toBe(1);
    expect(evaluate('States.MathAdd(2147483646, 1)')).toBe(2147483647);
    expect(evaluate('States.MathAdd(-2147483647, -1)')).toBe(-2147483648);
    expect(evaluate("States.StringSplit('a,,b', ',')")).toEqual(['a', 'b']);
    expect(evaluate('States.UUID()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('draws MathRandom in [start, end) and repeats a seeded draw', () => {
    for (let i = 0; i < 50; i++) {
      const value = evaluate('States.MathRandom(1.6, 5.4)') as number;
      expect(Number.isInteger(value) && value >= 1 && value < 5).toBe(true);
    }
    const seeded = evaluate('States.MathRandom(1, 100, 42)');
    expect(evaluate('States.MathRandom(1, 100, 42)')).toBe(seeded);
  });
});

describe("AWS's error texts", () => {
  const invalid = (call: string, name: string) => ({
    error: 'States.Runtime',
    cause: `There was an error while evaluating the intrinsic function: ${call}. Invalid arguments in ${name}`,
  });

  it.each([
    ["States.ArrayRange('a', 5, 1)", 'States.ArrayRange'],
    ['States.ArrayRange(1, 10, 0.49)', 'States.ArrayRange'],
    ['States.ArrayRange(1, 1001, 1)', 'States.ArrayRange'],
    ['States.ArrayRange(1, 5)', 'States.ArrayRange'],
    ['States.ArrayPartition(States.Array(1), 0.6)', 'States.ArrayPartition'],
    ['States.ArrayPartition(States.Array(1), null)', 'States.ArrayPartition'],
    ["States.ArrayPartition('not-array', 2)", 'States.ArrayPartition'],
    ['States.ArrayGetItem(States.Array(10, 20, 30), 3)', 'States.ArrayGetItem'],
    ['States.ArrayGetItem(States.Array(10, 20, 30), -1)', 'States.ArrayGetItem'],
    ["States.ArrayGetItem(States.Array(10), '0')", 'States.ArrayGetItem'],
    ['States.ArrayLength(States.JsonToString(States.Array(1)))', 'States.ArrayLength'],
    ['States.ArrayContains(States.Array(1))', 'States.ArrayContains'],
    ['States.ArrayUnique(1)', 'States.ArrayUnique'],
    ['States.Hash()', 'States.Hash'],
    ["States.Hash('hello', 'SHA-256', 'extra')", 'States.Hash'],
    ["States.Hash('data', 'sha-256')", 'States.Hash'],
    ["States.Hash('hello', 123)", 'States.Hash'],
    ['States.MathRandom(1, 1)', 'States.MathRandom'],
    ['States.MathRandom(1.4, 1.6)', 'States.MathRandom'],
    ["States.MathRandom(1, 10, 'seed')", 'States.MathRandom'],
    ['States.MathRandom(1, 10, null)', 'States.MathRandom'],
    ["States.MathAdd(1, 'NOT A NUMBER')", 'States.MathAdd'],
    // MathAdd works on Java ints: an operand or a sum outside the int32 range is an invalid argument.
    ['States.MathAdd(2147483647, 1)', 'States.MathAdd'],
    ['States.MathAdd(-2147483648, -1)', 'States.MathAdd'],
    ['States.MathAdd(3000000000, 1)', 'States.MathAdd'],
    ["States.StringToJson('{bad')", 'States.StringToJson'],
    ['States.StringToJson(1)', 'States.StringToJson'],
    ["States.Base64Decode('not base64!')", 'States.Base64Decode'],
    ['States.Base64Encode(1)', 'States.Base64Encode'],
    ["States.JsonMerge(States.StringToJson('{}'), 1, false)", 'States.JsonMerge'],
    ["States.StringSplit('a', 1)", 'States.StringSplit'],
    ["States.UUID('x')", 'States.UUID'],
    ["States.Format('{} {}', 'x')", 'States.Format'],
    ["States.Format('{}', 'x', 'y')", 'States.Format'],
    ['States.Format(123)', 'States.Format'],
  ])('%s', (call, name) => {
    expect(failure(call)).toEqual(invalid(call, name));
  });

  it('rejects 10,001 characters for Hash and Base64 but accepts 10,000', () => {
    expect(() => evaluate("States.Hash($.s, 'SHA-256')", { s: 'a'.repeat(10000) })).not.toThrow();
    expect(failure("States.Hash($.s, 'SHA-256')", { s: 'a'.repeat(10001) })).toEqual(
      invalid("States.Hash($.s, 'SHA-256')", 'States.Hash'),
    );
    expect(evaluate('States.Base64Encode($.s)', { s: 'a'.repeat(10000) })).toBe(
      Buffer.from('a'.repeat(10000)).toString('base64'),
    );
    expect(failure('States.Base64Encode($.s)', { s: 'a'.repeat(10001) })).toEqual(
      invalid('States.Base64Encode($.s)', 'States.Base64Encode'),
    );
    // Base64 text comes in 4-character groups: 10,000 characters is the longest accepted, 10,004 the next valid length.
    expect(evaluate('States.Base64Decode($.s)', { s: 'QUJD'.repeat(2500) })).toBe('ABC'.repeat(2500));
    expect(failure('States.Base64Decode($.s)', { s: 'QUJD'.repeat(2501) })).toEqual(
      invalid('States.Base64Decode($.s)', 'States.Base64Decode'),
    );
  });

  it('reports bad Format templates with the template message', () => {
    const prefix = 'There was an error while evaluating the intrinsic function:';
    expect(failure("States.Format('Hello {', $.a)", { a: 'x' }).cause).toBe(
      `${prefix} States.Format('Hello {', $.a). Invalid template in States.Format: matching '}' not found for '{'.`,
    );
    expect(failure("States.Format('Hello {{}}', $.a)", { a: 'x' }).cause).toBe(
      `${prefix} States.Format('Hello {{}}', $.a). Invalid template in States.Format: matching '}' not found for '{'.`,
    );
    expect(failure("States.Format('}')").cause).toBe(
      `${prefix} States.Format('}'). Invalid template in States.Format: matching '{' not found for '}'.`,
    );
  });

  it("wraps a path failure in the function's message", () => {
    expect(failure("States.Hash($.missing, 'SHA-256')")).toEqual({
      error: 'States.Runtime',
      cause:
        "The function 'States.Hash($.missing, 'SHA-256')' had the following error: The JsonPath argument for the field '$.missing' could not be found in the input '{}'",
    });
  });

  it('fails cleanly on syntax the validator would have rejected', () => {
    expect(failure('States.Nope(1)')).toEqual({
      error: 'States.Runtime',
      cause: 'Invalid intrinsic function call States.Nope(1): unknown function States.Nope',
    });
  });
});
