/** Checking a definition as CreateStateMachine does (validation/validate.ts), with AWS's codes and texts. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../src/validation/diagnostic';
import { validateDefinition } from '../../src/validation/validate';

const E = (code: string, message: string, location?: string): Diagnostic =>
  location === undefined ? { severity: 'ERROR', code, message } : { severity: 'ERROR', code, message, location };
const SCHEMA = 'SCHEMA_VALIDATION_FAILED';

const pass = (extra: object = {}) => ({ Type: 'Pass', End: true, ...extra });
const machine = (states: object, top: object = {}) => ({ StartAt: Object.keys(states)[0], States: states, ...top });
const jsonataOutput = (expression: string) =>
  machine({ Main: pass({ Output: `{% ${expression} %}` }) }, { QueryLanguage: 'JSONata' });

describe('reading the definition', () => {
  it('reports text that is not JSON as Jackson words it', () => {
    expect(validateDefinition('not a definition')).toEqual([
      E(
        'INVALID_JSON_DESCRIPTION',
        "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
        '[Source: (String)"not a definition"; line: 1, column: 4]',
      ),
    ]);
    const [broken] = validateDefinition('{"StartAt": ');
    expect(broken).toMatchObject({ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION' });
  });

  it.each(['', '   ', '[]', '"text"', 'null'])('rejects %j as not an object', (text) => {
    expect(validateDefinition(text)).toEqual([E(SCHEMA, 'Definition must be a valid JSON object')]);
  });

  it('lists the missing top-level fields', () => {
    expect(validateDefinition({})).toEqual([E(SCHEMA, 'These fields are required: [States, StartAt]', '/')]);
    expect(validateDefinition({ StartAt: 'A' })).toEqual([E(SCHEMA, 'These fields are required: [States]', '/')]);
  });
});

describe('state structure', () => {
  it('names the allowed state types', () => {
    expect(validateDefinition(machine({ X: { Type: 'Nope', End: true } }))).toEqual([
      E(
        SCHEMA,
        "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
        '/States/X/Type',
      ),
    ]);
    expect(validateDefinition(machine({ X: { End: true } }))).toEqual([
      E(SCHEMA, 'These fields are required: [Type]', '/States/X'),
    ]);
  });

  it('rejects fields a state type does not support', () => {
    expect(
      validateDefinition(
        machine({ X: pass({ TimeoutSeconds: 5, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'X' }] }) }),
      ),
    ).toEqual([
      E(SCHEMA, "Field 'TimeoutSeconds' is not supported", '/States/X'),
      E(SCHEMA, "Field 'Catch' is not supported", '/States/X'),
    ]);
    const map = machine({
      M: { Type: 'Map', End: true, ItemProcessor: { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: pass() } } },
    });
    expect(validateDefinition(map)).toEqual([
      E(SCHEMA, "Field 'QueryLanguage' is not supported", '/States/M/ItemProcessor'),
    ]);
  });

  it('requires exactly one of Next and End', () => {
    expect(validateDefinition(machine({ A: { Type: 'Pass', End: true, Next: 'A' } }))).toEqual([
      E(SCHEMA, 'Only one of these fields may be set: [Next, End]', '/States/A'),
    ]);
    expect(validateDefinition(machine({ A: { Type: 'Pass' }, B: pass() }))).toContainEqual(
      E(SCHEMA, 'One of these fields is required: [Next, End]', '/States/A'),
    );
  });

  it('requires the fields a state cannot run without, instead of failing when it runs', () => {
    expect(validateDefinition(machine({ T: { Type: 'Task', End: true } }))).toEqual([
      E(SCHEMA, 'These fields are required: [Resource]', '/States/T'),
    ]);
    expect(validateDefinition(machine({ C: { Type: 'Choice', Default: 'P' }, P: pass() }))).toEqual([
      E(SCHEMA, 'These fields are required: [Choices]', '/States/C'),
    ]);
    expect(validateDefinition(machine({ B: { Type: 'Parallel', End: true } }))).toEqual([
      E(SCHEMA, 'These fields are required: [Branches]', '/States/B'),
    ]);
    expect(validateDefinition(machine({ M: { Type: 'Map', End: true } }))).toEqual([
      E(SCHEMA, 'One of these fields is required: [ItemProcessor, Iterator]', '/States/M'),
    ]);
  });

  it('keeps literal seconds within what ASL allows', () => {
    const wait = (Seconds: number) => machine({ W: { Type: 'Wait', Seconds, End: true } });
    const task = (extra: object) =>
      machine({ T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, ...extra } });
    expect(validateDefinition(wait(99_999_999))).toEqual([]);
    expect(validateDefinition(wait(1e300))).toEqual([E(SCHEMA, 'Maximum value is 99999999', '/States/W/Seconds')]);
    expect(validateDefinition(task({ TimeoutSeconds: 100_000_000 }))).toEqual([
      E(SCHEMA, 'Maximum value is 99999999', '/States/T/TimeoutSeconds'),
    ]);
    expect(validateDefinition(task({ HeartbeatSeconds: 0 }))).toEqual([
      E(SCHEMA, 'Minimum value is 1', '/States/T/HeartbeatSeconds'),
    ]);
    expect(validateDefinition(task({ TimeoutSeconds: 604_800, HeartbeatSeconds: 3600 }))).toEqual([]);
  });

  it("words range errors as AWS does and checks paths with asl-validator's formats", () => {
    const map = machine({
      M: { Type: 'Map', MaxConcurrency: -1, End: true, ItemProcessor: { StartAt: 'P', States: { P: pass() } } },
    });
    expect(validateDefinition(map)).toEqual([E(SCHEMA, 'Minimum value is 0', '/States/M/MaxConcurrency')]);
    expect(validateDefinition(machine({ A: pass({ InputPath: '$.a[' }) }))).toEqual([
      E(SCHEMA, 'The value is not valid: it must match format "asl_path"', '/States/A/InputPath'),
    ]);
  });

  it('falls back to the schema for other malformed values', () => {
    const [problem, ...rest] = validateDefinition(machine({ W: { Type: 'Wait', Seconds: 'soon', End: true } }));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ severity: 'ERROR', code: SCHEMA });
    expect(problem!.location).toMatch(/^\/States\/W/);
  });
});

describe('QueryLanguage', () => {
  it('forbids going back to JSONPath in a JSONata machine, and reports only that for the state', () => {
    const definition = machine(
      { X: pass({ QueryLanguage: 'JSONPath', Output: { v: '{% 1 %}' } }) },
      { QueryLanguage: 'JSONata' },
    );
    expect(validateDefinition(definition)).toEqual([
      E(SCHEMA, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", '/States/X'),
    ]);
  });

  it("rejects each language's fields in the other", () => {
    expect(
      validateDefinition(machine({ X: pass({ InputPath: '$.a', OutputPath: '$.b' }) }, { QueryLanguage: 'JSONata' })),
    ).toEqual([
      E(
        SCHEMA,
        "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage",
        '/States/X',
      ),
      E(
        SCHEMA,
        "The QueryLanguage is set to 'JSONata', but field 'OutputPath' is only supported for the 'JSONPath' QueryLanguage",
        '/States/X',
      ),
    ]);
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { a: 1 }, End: true };
    expect(validateDefinition(machine({ T: task }))).toEqual([
      E(
        SCHEMA,
        "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' QueryLanguage",
        '/States/T',
      ),
    ]);
  });

  it("does not pass a Map's language to the states inside it", () => {
    const definition = machine({
      M: {
        Type: 'Map',
        QueryLanguage: 'JSONata',
        End: true,
        ItemProcessor: { StartAt: 'P', States: { P: pass({ Output: { d: '{% 1 %}' } }) } },
      },
    });
    expect(validateDefinition(definition)).toEqual([
      E(
        SCHEMA,
        "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage",
        '/States/M/ItemProcessor/States/P',
      ),
    ]);
  });

  it('checks the value against the enum and its type', () => {
    expect(validateDefinition(machine({ X: pass() }, { QueryLanguage: 'jsonata' }))).toEqual([
      E(SCHEMA, 'Value should be one of the following: [JSONPath, JSONata]', '/QueryLanguage'),
    ]);
    expect(validateDefinition(machine({ X: pass({ QueryLanguage: 5 }) }))).toEqual([
      E(SCHEMA, 'Expected value of type [STRING]', '/States/X/QueryLanguage'),
    ]);
  });
});

describe('JSONata expressions', () => {
  it.each([
    ['a[1,2)', 'Expected "]", got ","'],
    ['"unterminated', 'String literal must be terminated by a matching quote'],
    ['1 +', 'Unexpected end of expression'],
    ['$match("a", /abc', 'No terminating / in regular expression'],
    ['phone %.other', 'The symbol "." cannot be used as a unary operator'],
    ['', 'Unexpected end of expression'],
  ])('reports the syntax error of %s', (expression, message) => {
    expect(validateDefinition(jsonataOutput(expression))).toEqual([
      E('INVALID_JSONATA_EXPRESSION', message, '/States/Main/Output'),
    ]);
  });

  it.each([
    ['phone', "Reference to 'phone' at the top level is not supported."],
    ['$states.input.a & phone', "Reference to 'phone' at the top level is not supported."],
    ['$count(phone)', "Reference to 'phone' at the top level is not supported."],
    ['$$', "Reference to '$$' is not supported."],
    ['$', "Reference to '$' at the top level is not supported."],
    ['$states.errorOutput', "Field '$states.errorOutput' does not exist."],
  ])('rejects %s', (expression, message) => {
    expect(validateDefinition(jsonataOutput(expression))).toEqual([
      E('UNSUPPORTED_JSONATA_EXPRESSION', message, '/States/Main/Output'),
    ]);
  });

  it('allows field names and $ where they are relative', () => {
    expect(
      validateDefinition(jsonataOutput('$states.input.items[price > 5].name ~> $map(function($v){ $v.x })')),
    ).toEqual([]);
    expect(validateDefinition(jsonataOutput('$states.input.items.($.a)'))).toEqual([]);
  });

  it('locates nested expressions and allows $states.errorOutput in a Catch', () => {
    const definition = machine(
      {
        E: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Output: { v: '{% phone %}' },
          Next: 'H',
          Catch: [
            {
              ErrorEquals: ['States.ALL'],
              Output: '{% $states.errorOutput %}',
              Assign: { e: '{% $states.errorOutput %}' },
              Next: 'H',
            },
          ],
        },
        H: pass(),
      },
      { QueryLanguage: 'JSONata' },
    );
    expect(validateDefinition(definition)).toEqual([
      E(
        'UNSUPPORTED_JSONATA_EXPRESSION',
        "Reference to 'phone' at the top level is not supported.",
        '/States/E/Output/v',
      ),
    ]);
  });
});

describe('resources', () => {
  const task = (Resource: string) => machine({ T: { Type: 'Task', Resource, End: true } });

  it.each([
    'arn:aws:states:::lambda:invoke',
    'arn:aws:states:::lambda:invoke.waitForTaskToken',
    'arn:aws:states:::dynamodb:putItem',
    'arn:aws:states:::states:startExecution.sync:2',
    'arn:aws:states:::aws-sdk:dynamodb:query',
    'arn:aws:lambda:us-east-1:123456789012:function:ReserveRoomFunction',
    'arn:aws:lambda:us-east-1:123456789012:function:ReserveRoomFunction:live',
    'arn:aws:states:us-east-1:123456789012:activity:Approve',
  ])('accepts %s', (resource) => {
    expect(validateDefinition(task(resource))).toEqual([]);
  });

  it.each([
    'arn:aws:states:::dynamodb:query',
    'arn:aws:states:::dynamodb:putItem.sync',
    'not-an-arn',
    '${ReserveRoomFunctionArn}',
  ])('rejects %s', (resource) => {
    expect(validateDefinition(task(resource))).toEqual([
      E(
        SCHEMA,
        `The resource provided ${resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
        '/States/T/Resource',
      ),
    ]);
  });

  it('rejects callbacks and job runs in Express machines', () => {
    expect(validateDefinition(task('arn:aws:states:::lambda:invoke.waitForTaskToken'), { type: 'EXPRESS' })).toEqual([
      E(
        SCHEMA,
        "Express state machine does not support '.waitForTaskToken' service integration ",
        '/States/T/Resource',
      ),
    ]);
    expect(validateDefinition(task('arn:aws:states:::states:startExecution.sync'), { type: 'EXPRESS' })).toEqual([
      E(SCHEMA, "Express state machine does not support '.sync' service integration ", '/States/T/Resource'),
    ]);
    expect(validateDefinition(task('arn:aws:states:::lambda:invoke.waitForTaskToken'), { type: 'STANDARD' })).toEqual(
      [],
    );
  });
});

describe('field values', () => {
  it.each(['2016-03-14T01:59:00Z', '2016-03-14T01:59:00.123+05:30'])('accepts the timestamp %s', (Timestamp) => {
    expect(validateDefinition(machine({ W: { Type: 'Wait', Timestamp, End: true } }))).toEqual([]);
  });

  it.each(['2016-13-05T21:29:29Z', '2016-12-05 21:29:29Z', '2016-02-30T00:00:00Z', 'yesterday'])(
    'rejects the timestamp %s',
    (Timestamp) => {
      expect(validateDefinition(machine({ W: { Type: 'Wait', Timestamp, End: true } }))).toEqual([
        E(SCHEMA, 'String does not match RFC3339 timestamp', '/States/W/Timestamp'),
      ]);
    },
  );

  it('rejects intrinsic functions that do not parse or do not exist', () => {
    const definition = machine({
      P: pass({
        Parameters: { 'ok.$': 'States.Hash()', nested: { 'bad.$': 'States.Nope($.a)' }, 'open.$': "States.Format('x'" },
      }),
    });
    expect(validateDefinition(definition)).toEqual([
      E(
        SCHEMA,
        "The value for the field 'bad.$' must be a valid JSONPath or a valid intrinsic function call",
        '/States/P/Parameters/nested',
      ),
      E(
        SCHEMA,
        "The value for the field 'open.$' must be a valid JSONPath or a valid intrinsic function call",
        '/States/P/Parameters',
      ),
    ]);
  });

  it('accepts intrinsic calls whose argument count or literal types are wrong: AWS fails them at run time', () => {
    const definition = machine({
      P: pass({ Parameters: { 'one.$': 'States.MathAdd(1)', 'text.$': "States.MathAdd('a', 1)" } }),
    });
    expect(validateDefinition(definition)).toEqual([]);
  });

  it('rejects variable names AWS does not allow', () => {
    const definition = machine({ P: pass({ Assign: { ok: 1, 'x.y': 2, states: 3, '1st': 4, 'path.$': '$.a' } }) });
    expect(validateDefinition(definition).map((d) => d.location)).toEqual([
      '/States/P/Assign/x.y',
      '/States/P/Assign/states',
      '/States/P/Assign/1st',
    ]);
  });
});

describe('transitions', () => {
  it('reports a missing Next target where it is named, then the missing terminal state', () => {
    expect(validateDefinition(machine({ A: { Type: 'Pass', Next: 'NOPE' } }))).toEqual([
      E('MISSING_TRANSITION_TARGET', "Missing 'Next' target: NOPE", '/States/A/Next'),
      E('MISSING_END_STATE', 'Workflow has no terminal state'),
    ]);
  });

  it('checks Choice, Default and Catch targets and StartAt', () => {
    const definition = {
      StartAt: 'Ghost',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'G1' }], Default: 'G2' },
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'G3' }],
          End: true,
        },
      },
    };
    expect(validateDefinition(definition)).toEqual([
      E('MISSING_TRANSITION_TARGET', "Missing 'Next' target: Ghost", '/StartAt'),
      E('MISSING_TRANSITION_TARGET', "Missing 'Next' target: G2", '/States/C/Default'),
      E('MISSING_TRANSITION_TARGET', "Missing 'Next' target: G1", '/States/C/Choices[0]/Next'),
      E('MISSING_TRANSITION_TARGET', "Missing 'Next' target: G3", '/States/T/Catch[0]/Next'),
      E('MISSING_TRANSITION_TARGET', 'State "C" is not reachable.', '/States/C'),
      E('MISSING_TRANSITION_TARGET', 'State "T" is not reachable.', '/States/T'),
    ]);
  });

  it('reports unreachable states, nested ones at their path', () => {
    expect(validateDefinition(machine({ First: pass(), Unreachable: pass() }))).toEqual([
      E('MISSING_TRANSITION_TARGET', 'State "Unreachable" is not reachable.', '/States/Unreachable'),
    ]);
    const parallel = machine({
      P: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'W', States: { W: pass(), Ghost: pass() } }] },
    });
    expect(validateDefinition(parallel)).toEqual([
      E('MISSING_TRANSITION_TARGET', 'State "Ghost" is not reachable.', '/States/P/Branches[0]/States/Ghost'),
    ]);
  });

  it('reports a loop without a terminal state once, without unreachable states', () => {
    expect(
      validateDefinition(
        machine({
          A: { Type: 'Pass', Next: 'B' },
          B: { Type: 'Pass', Next: 'A' },
          Unused: { Type: 'Pass', Next: 'A' },
        }),
      ),
    ).toEqual([E('MISSING_END_STATE', 'Workflow has no terminal state')]);
  });

  it('requires States.ALL alone and last', () => {
    const task = (rules: object) =>
      machine({ T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, ...rules }, R: pass() });
    const message = 'States.ALL must appear alone and at end of list';
    expect(validateDefinition(task({ Retry: [{ ErrorEquals: ['States.ALL', 'CustomError'] }] }))).toContainEqual(
      E(SCHEMA, message, '/States/T/Retry[0]/ErrorEquals'),
    );
    expect(
      validateDefinition(task({ Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['X'] }] })),
    ).toContainEqual(E(SCHEMA, message, '/States/T/Retry[0]/ErrorEquals'));
    expect(
      validateDefinition(
        task({
          Catch: [
            { ErrorEquals: ['States.ALL'], Next: 'R' },
            { ErrorEquals: ['X'], Next: 'R' },
          ],
        }),
      ),
    ).toContainEqual(E(SCHEMA, message, '/States/T/Catch[0]/ErrorEquals'));
  });

  it('requires state names unique across nested states', () => {
    const definition = machine({
      P: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'P', States: { P: pass() } }] },
    });
    expect(validateDefinition(definition)).toEqual([
      E(SCHEMA, 'Duplicate State name: P', '/States/P/Branches[0]/States/P'),
    ]);
  });
});

/** Every definition in engine/tests/conformance/cases was accepted by AWS, so none may be rejected here. */
describe('definitions AWS accepted', () => {
  const dir = path.resolve(__dirname, '../conformance/cases');
  const cases = readdirSync(dir).map(
    (file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { id: string; definition: object },
  );

  it('are all there', () => {
    expect(cases).toHaveLength(444);
  });

  it('are all valid, as objects and as text, for both types', () => {
    const rejected = cases
      .map((c) => ({
        id: c.id,
        diagnostics: [
          ...validateDefinition(c.definition),
          ...validateDefinition(JSON.stringify(c.definition), { type: 'EXPRESS' }),
        ],
      }))
      .filter((r) => r.diagnostics.length > 0);
    expect(rejected).toEqual([]);
  });
});

describe('our own state machines', () => {
  it.each(['call-centre.asl.json', 'plagiarism.asl.json'])(
    '%s is valid once its substitutions are filled in',
    (file) => {
      const source = path.resolve(__dirname, '../../../statemachine', file);
      // A missing or unreadable file fails the test: these definitions exist, and a check that passes without
      // reading them proves nothing.
      const text = readFileSync(source, 'utf8');
      const filled = text
        .replace(/\$\{(\w+)FunctionArn\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1Function')
        .replace(/\$\{(\w+)\}/g, '$1');
      const type = file.startsWith('call-centre') ? 'EXPRESS' : 'STANDARD';
      expect(validateDefinition(filled, { type })).toEqual([]);
    },
  );
});
