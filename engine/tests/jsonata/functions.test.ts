import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jsonata from 'jsonata';
import { bindStepFunctionsFunctions } from '../../src/jsonata/functions';
import { harness, runToEnd } from '../../src/testing/harness';

async function evaluate(source: string, input: unknown = {}): Promise<unknown> {
  const expression = jsonata(source);
  bindStepFunctionsFunctions(expression);
  return expression.evaluate({}, { states: { input } });
}

/** What the interpreter reports after "threw an error during evaluation. " */
async function errorText(source: string, input: unknown = {}): Promise<string> {
  try {
    await evaluate(source, input);
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return `${code}: ${message}`;
  }
  throw new Error(`${source} did not fail`);
}

describe('AWS-recorded executions (engine/tests/conformance/cases with jsonata-fn features)', () => {
  const dir = path.resolve(__dirname, '../conformance/cases');
  const cases = readdirSync(dir)
    .map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')))
    .filter((c) => c.features.some((f: string) => /^jsonata-fn:\$(partition|range|hash|random|uuid|parse)$/.test(f)));

  it('finds the recorded cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(21);
  });

  it.each(cases.map((c) => [c.id, c]))('%s', async (_id, c) => {
    const state = Object.values(c.definition.States)[0] as { Output: string };
    const source = /^\{%(.*)%\}$/s.exec(state.Output)![1]!;
    // Compared as JSON values, as the conformance README says (-0 equals 0).
    expect(JSON.parse(JSON.stringify(await evaluate(source, c.input)))).toEqual(c.expected.output);
  });
});

describe('happy paths', () => {
  it('$partition', async () => {
    expect(await evaluate('$partition([1,2,3,4,5], 2)')).toEqual([[1, 2], [3, 4], [5]]);
    expect(await evaluate('$partition([1,2,3,4,5], 2.6)')).toEqual([[1, 2], [3, 4], [5]]);
    expect(await evaluate('$partition($states.input.arr)', { arr: [1, 2, 3] })).toEqual([[1, 2, 3]]);
    expect(await evaluate('$partition([], 2)')).toEqual([]);
  });

  it('$range', async () => {
    expect(await evaluate('$range(0, 10, 2)')).toEqual([0, 2, 4, 6, 8, 10]);
    expect(await evaluate('$range(1.4, 5.6, 2.2)')).toEqual([1, 3, 5]);
    expect(await evaluate('$range(5, 1, -2)')).toEqual([5, 3, 1]);
    expect(await evaluate('$range(1, 1001, 1)')).toHaveLength(1001);
  });

  it('$hash', async () => {
    expect(await evaluate("$hash('hello', 'SHA-256')")).toBe(
      '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    );
    expect(await evaluate("$hash($states.input, 'SHA-256')", '✓')).toBe(
      '1dabba21cdad44541f6b15796f8d22978fc7ea10c46aeceeeeb66c23b3ac7604',
    );
    expect(await evaluate("$hash($states.input, 'SHA-256')", 'a'.repeat(10001))).toBe(
      '0cab99a058600ffaad1292d0c53c0548ebaf88dd1d01030345705f018a813909',
    );
    expect(await evaluate("$hash('hello', 'MD5')")).toBe('5d41402abc4b2a76b9719d911017c592');
  });

  it('$random: unseeded in [0, 1), seeded exactly as AWS', async () => {
    const value = (await evaluate('$random()')) as number;
    expect(value >= 0 && value < 1).toBe(true);
    expect(await evaluate('$random(77)')).toBe(0.7240700207191966);
    expect(await evaluate('$random(77) = $random(77)')).toBe(true);
  });

  it('$uuid', async () => {
    expect(await evaluate('$uuid()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('$parse', async () => {
    expect(await evaluate('$parse($states.input)', ' {"a":1} ')).toEqual({ a: 1 });
    expect(await evaluate('$parse($states.input)', '"HelloWorld"')).toBe('HelloWorld');
  });

  it('leaves the standard library alone', async () => {
    expect(await evaluate('$sum([1,2]) & $uppercase("a")')).toBe('3A');
  });
});

describe('what returns nothing on AWS', () => {
  it.each([
    '$partition([1,2,3], 0)',
    '$partition([1,2,3], 0.4)',
    '$range(1, 10, 0)',
    '$range(1, 10, 0.49)',
    '$range(1, 5)',
    '$range(5, 1, 1)',
    '$parse()',
  ])('%s', async (source) => {
    expect(await evaluate(source)).toBeUndefined();
  });
});

describe("AWS's error texts", () => {
  it.each([
    ['$partition([1,2,3], "2")', 'T0410: Argument 2 of function "partition" does not match function signature'],
    ['$partition([1,2,3], null)', 'T0410: Argument 2 of function "partition" does not match function signature'],
    ['$partition([1,2,3], 2, 99)', 'T0410: Argument 3 of function "partition" does not match function signature'],
    ['$partition("not-array", 2)', 'T0412: Argument 1 of function "partition" must be an array of undefined'],
    ['$partition([1,2,3], -1)', 'D3137: Second argument must be zero or greater'],
    ['$range("a", 5, 1)', 'T0410: Argument 1 of function "range" does not match function signature'],
    ['$range(1, 5, null)', 'T0410: Argument 3 of function "range" does not match function signature'],
    ['$range(1, 5, 1, 99)', 'T0410: Argument 4 of function "range" does not match function signature'],
    [
      '$hash("data", "UNSUPPORTED")',
      "D3137: Hash algorithm 'UNSUPPORTED' must be one of SHA-1, SHA-384, SHA-256, SHA-512, MD5",
    ],
    [
      '$hash("hello", "sha-256")',
      "D3137: Hash algorithm 'sha-256' must be one of SHA-1, SHA-384, SHA-256, SHA-512, MD5",
    ],
    ['$hash(123, "SHA-256")', 'T0410: Argument 1 of function "hash" does not match function signature'],
    ['$hash()', 'T0410: Argument 1 of function "hash" does not match function signature'],
    ['$hash("hello", "SHA-256", "extra")', 'T0410: Argument 3 of function "hash" does not match function signature'],
    ['$parse("{bad json}")', 'D3137: Invalid JSON'],
    ['$parse("")', 'D3137: Invalid JSON'],
    ['$parse(123)', 'T0410: Argument 1 of function "parse" does not match function signature'],
    ['$parse(null)', 'T0410: Argument 1 of function "parse" does not match function signature'],
    ['$parse({"a": 1})', 'T0410: Argument 1 of function "parse" does not match function signature'],
    ['$parse("{}", 1)', 'T0410: Argument 2 of function "parse" does not match function signature'],
    ['$uuid("x")', 'T0410: Argument 1 of function "uuid" does not match function signature'],
    ['$uuid(null)', 'T0410: Argument 1 of function "uuid" does not match function signature'],
    ['$uuid(1, 2)', 'T0410: Argument 1 of function "uuid" does not match function signature'],
    ['$random("seed")', 'T0410: Argument 1 of function "random" does not match function signature'],
    ['$random(null)', 'T0410: Argument 1 of function "random" does not match function signature'],
    ['$random({"bad": true})', 'T0410: Argument 1 of function "random" does not match function signature'],
    ['$random(77, 88)', 'T0410: Argument 2 of function "random" does not match function signature'],
    ['$eval("1+1")', 'T1006: Attempted to invoke a non-function'],
  ])('%s', async (source, text) => {
    expect(await errorText(source)).toBe(text);
  });
});

describe('runaway JSONata', () => {
  test('$range beyond 1e7 items fails with a named error instead of exhausting memory', async () => {
    const h = harness();
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', Output: '{% $range(0, 1000000000, 1) %}', End: true } },
    };
    const info = await runToEnd(h, h.start(definition));
    expect(info.error).toBe('States.QueryEvaluationError');
    expect(info.cause).toMatch(/D3137: The size of the sequence allocated by \$range must not exceed 1e7/);
  });
});
