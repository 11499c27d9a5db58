import { isIntrinsic, IntrinsicSyntaxError, parseIntrinsic } from '../../src/intrinsics/parser';

describe('isIntrinsic', () => {
  it.each([
    ["States.Format('x')", true],
    ['  States.UUID()', true],
    ['$.a', false],
    ['States.Format', false],
    ['States.(1)', false],
  ])('%s → %s', (value, expected) => {
    expect(isIntrinsic(value)).toBe(expected);
  });
});

describe('parseIntrinsic', () => {
  it('builds the call tree with every argument kind', () => {
    expect(
      parseIntrinsic(
        "States.Array( 'a\\'b' , -1.5e2, true, false, null, $, $.a['b c'][0], $$.Execution.Id, $var.field, States.UUID() )",
      ),
    ).toEqual({
      name: 'States.Array',
      args: [
        { kind: 'string', value: "a'b", escapedBraces: new Set() },
        { kind: 'number', value: -150 },
        { kind: 'boolean', value: true },
        { kind: 'boolean', value: false },
        { kind: 'null' },
        { kind: 'path', path: '$' },
        { kind: 'path', path: "$.a['b c'][0]" },
        { kind: 'path', path: '$$.Execution.Id' },
        { kind: 'path', path: '$var.field' },
        { kind: 'call', call: { name: 'States.UUID', args: [] } },
      ],
    });
  });

  it('remembers which braces were escaped', () => {
    const call = parseIntrinsic("States.Format('\\{}')");
    expect(call.args[0]).toEqual({ kind: 'string', value: '{}', escapedBraces: new Set([0]) });
  });

  it('reads an escaped double quote as a double quote, as AWS does (LocalStack test_json_merge_escaped_argument)', () => {
    const call = parseIntrinsic('States.StringToJson(\'{\\"a\\": 1}\')');
    expect(call.args[0]).toEqual({ kind: 'string', value: '{"a": 1}', escapedBraces: new Set() });
  });

  it('accepts a wrong argument count: AWS checks it when the call runs', () => {
    expect(parseIntrinsic('States.Hash()')).toEqual({ name: 'States.Hash', args: [] });
  });

  it.each([
    ['States.Nope(1)', 'unknown function States.Nope'],
    ["States.Format('x'", "missing ')' to close States.Format("],
    ["States.Format('x", 'unterminated string literal'],
    ["States.Format('\\n')", "open escape '\\' at position 15"],
    ['States.ArrayGetItem($.arr, )', 'missing argument at position 27'],
    ['States.Array(1) extra', "unexpected 'extra' after the closing ')'"],
    ['States.Array(1 2)', "expected ',' or ')' at position 15"],
    ['States.Array(foo)', 'unexpected argument at position 13'],
    ['States.Array($.a[0)', 'unterminated path starting at position 13'],
    ['$.a', "expected a function call 'States.<Name>(' at position 0"],
  ])('rejects %s', (expression, reason) => {
    expect(() => parseIntrinsic(expression)).toThrow(
      new IntrinsicSyntaxError(`Invalid intrinsic function call ${expression}: ${reason}`),
    );
  });
});
