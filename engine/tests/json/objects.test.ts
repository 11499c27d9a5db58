/** Own properties only (json/objects.ts): '__proto__', 'constructor' and 'toString' are ordinary names everywhere. */
import { harness, runToEnd } from '../../src/testing/harness';

const pass = (extra: object = {}) => ({ StartAt: 'P', States: { P: { Type: 'Pass', End: true, ...extra } } });

describe("'__proto__', 'constructor' and 'toString' are ordinary names", () => {
  const parsed = (text: string) => JSON.parse(text) as object;

  test('as state names', async () => {
    const h = harness();
    const definition = parsed(
      '{"StartAt":"__proto__","States":{"__proto__":{"Type":"Pass","Result":1,"Next":"constructor"},"constructor":{"Type":"Pass","Next":"toString"},"toString":{"Type":"Succeed"}}}',
    );
    const execution = h.start(definition);
    expect(await runToEnd(h, execution)).toMatchObject({ status: 'SUCCEEDED', output: 1 });
    expect(
      execution.events
        .filter((e) => e.type === 'PassStateEntered')
        .map((e) => (e.stateEnteredEventDetails as { name: string }).name),
    ).toEqual(['__proto__', 'constructor']);
  });

  test('as Parameters keys, ResultPath segments and JSONata Output keys: own properties, no prototype change', async () => {
    const h = harness();
    const viaParameters = await runToEnd(
      h,
      h.start(
        parsed('{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"__proto__":{"polluted":1}},"End":true}}}'),
        {},
        'a',
      ),
    );
    expect(JSON.stringify(viaParameters.output)).toBe('{"__proto__":{"polluted":1}}');
    const viaResultPath = await runToEnd(
      h,
      h.start(pass({ Result: 1, ResultPath: '$.constructor.prototype.polluted' }), {}, 'b'),
    );
    expect(JSON.stringify(viaResultPath.output)).toBe('{"constructor":{"prototype":{"polluted":1}}}');
    const viaJsonata = await runToEnd(
      h,
      h.start(
        parsed(
          '{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{"__proto__":"{% 1 %}"},"End":true}}}',
        ),
        {},
        'c',
      ),
    );
    expect(JSON.stringify(viaJsonata.output)).toBe('{"__proto__":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('as variable names in JSONata', async () => {
    const h = harness();
    const definition = parsed(
      '{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"__proto__":{"x":1},"constructor":5},"Next":"B"},"B":{"Type":"Pass","Output":"{% [$__proto__, $constructor] %}","End":true}}}',
    );
    expect(await runToEnd(h, h.start(definition))).toMatchObject({ status: 'SUCCEEDED', output: [{ x: 1 }, 5] });
  });

  test('JSONPath reads of inherited members find nothing', async () => {
    const h = harness();
    const info = await runToEnd(h, h.start(pass({ Parameters: { 'r.$': '$.constructor' } })));
    expect(info.error).toBe('States.Runtime');
    expect(info.cause).toMatch(/The JSONPath '\$\.constructor' specified for the field 'r\.\$' could not be found/);
  });
});
