import { escapeJavaScript } from '../../local/apigw/vtl/util';
import { templateContext, templateVariables } from '../../local/apigw/vtl/template-variables';
import { MappingTemplateError, renderVelocity } from '../../local/apigw/vtl/velocity';

const params = {
  path: { id: 'p1' },
  querystring: { q: 'a b', id: 'q1' },
  header: { 'X-Token': 't', 'Content-Type': 'application/json' },
};

function render(
  template: string,
  body = '{}',
  context = templateContext({ requestId: 'req-1', stage: 'dev', identity: { sourceIp: '1.2.3.4' } }),
) {
  return renderVelocity(template, templateVariables(body, params, context, { env: 'local' }));
}

describe('$input', () => {
  const body = JSON.stringify({
    name: 'Ann',
    pets: [{ type: 'dog' }, { type: 'cat' }],
    nested: { a: 1 },
    quote: 'it\'s "x"',
  });

  test('json() gives JSON text, path() the value itself, body the raw text', () => {
    expect(render("$input.json('$.nested')", body)).toBe('{"a":1}');
    expect(render("$input.json('$.name')", body)).toBe('"Ann"');
    expect(render("$input.path('$.name')", body)).toBe('Ann');
    expect(render("$input.path('$.pets').size()", body)).toBe('2');
    expect(render("$input.path('$.pets[1].type')", body)).toBe('cat');
    expect(render("$input.json('$.pets[*].type')", body)).toBe('["dog","cat"]');
    expect(render("$input.path('$.nested')", body)).toBe('{a=1}');
    expect(render('$input.body', body)).toBe(body);
    // A falsy JSON document (null, 0, false) is still the value at `$`, and nothing is below it.
    for (const falsy of ['null', '0', 'false']) {
      expect(render("$input.json('$')", falsy)).toBe(falsy);
      expect(render("$input.json('$.TransactionType')", falsy)).toBe('""');
    }
  });

  test('a path that matches nothing: json() is "" and path() is null (its reference text, or nothing when quiet)', () => {
    expect(render("$input.json('$.missing')", body)).toBe('""');
    expect(render("[$!input.path('$.missing')]", body)).toBe('[]');
    expect(render("[$input.path('$.missing')]", body)).toBe("[$input.path('$.missing')]");
  });

  test('an empty body is {} and a body that is not JSON is a string', () => {
    expect(render("$input.json('$')", '')).toBe('{}');
    expect(render("$input.path('$')", 'plain text')).toBe('plain text');
  });

  test('params(): by name from path, then query string, then header; the map of all', () => {
    expect(render("$input.params('id')")).toBe('p1');
    expect(render("$input.params('q')")).toBe('a b');
    expect(render("$input.params('x-token')")).toBe('t');
    expect(render("[$input.params('nothing')]")).toBe('[]');
    const all = render(
      '#set($all = $input.params())#foreach($type in $all.keySet())$type:#foreach($name in $all.get($type).keySet())$name=$all.get($type).get($name)#if($foreach.hasNext),#end#end;#end',
    );
    expect(all).toBe('path:id=p1;querystring:q=a b,id=q1;header:X-Token=t,Content-Type=application/json;');
  });
});

describe('$util', () => {
  test("escapeJavaScript is Commons Lang's: quotes, slash, control and non-ASCII characters", () => {
    expect(escapeJavaScript(`it's "x" / \\ \n\t é 😀`)).toBe(`it\\'s \\"x\\" \\/ \\\\ \\n\\t \\u00E9 \\uD83D\\uDE00`);
    expect(
      render(`"$util.escapeJavaScript($input.json('$')).replaceAll("\\\\'","'")"`, JSON.stringify({ a: "it's" })),
    ).toBe(`"{\\"a\\":\\"it's\\"}"`);
  });

  test('parseJson, urlEncode/urlDecode (form encoding), base64Encode/Decode', () => {
    expect(
      render(
        "#set($o = $util.parseJson($input.path('$.e')))$o.key2.arr[0]",
        JSON.stringify({ e: '{"key2":{"arr":[1,2]}}' }),
      ),
    ).toBe('1');
    expect(render('$util.urlEncode("a b&c=d/é~")')).toBe('a+b%26c%3Dd%2F%C3%A9%7E');
    expect(render('$util.urlDecode("a+b%26c")')).toBe('a b&c');
    expect(render('$util.base64Encode("héllo")')).toBe(Buffer.from('héllo').toString('base64'));
    expect(render('$util.base64Decode("aGk=")')).toBe('hi');
    expect(() => render('$util.parseJson("{bad")')).toThrow(MappingTemplateError);
  });
});

describe('Velocity as API Gateway runs it', () => {
  test('Java String methods', () => {
    const body = JSON.stringify({ s: 'Hello, World,,' });
    expect(render("$input.path('$.s').length()", body)).toBe('14');
    expect(render("$input.path('$.s').replaceAll('o', '0')", body)).toBe('Hell0, W0rld,,');
    expect(render("$input.path('$.s').replaceAll('(H)(e)', '$2$1')", body)).toBe('eHllo, World,,');
    expect(render("$input.path('$.s').replace('l', 'L')", body)).toBe('HeLLo, WorLd,,');
    expect(render("$input.path('$.s').split(',').size()", body)).toBe('2');
    expect(render("$input.path('$.s').contains('World')", body)).toBe('true');
    expect(render("$input.path('$.s').matches('Hello.*')", body)).toBe('true');
    expect(render("$input.path('$.s').matches('Hello')", body)).toBe('false');
    expect(render("$input.path('$.s').substring(0, 5).toUpperCase()", body)).toBe('HELLO');
    expect(render("$input.path('$.s').isEmpty()", body)).toBe('false');
    expect(render("#if($input.path('$.s').equals('x'))yes#{else}no#end", body)).toBe('no');
    expect(() => render("$input.path('$.s').substring(3, 99)", body)).toThrow(MappingTemplateError);
  });

  test('Java Map and List methods', () => {
    const body = JSON.stringify({ m: { a: 1 }, l: [1, 2] });
    expect(render("$input.path('$.m').containsKey('a') $input.path('$.m').containsKey('b')", body)).toBe('true false');
    expect(render("$input.path('$.l').contains(2) $input.path('$.l').get(0) $input.path('$.l').isEmpty()", body)).toBe(
      'true 1 false',
    );
    expect(render("$input.path('$.m').toString()", body)).toBe('{a=1}');
  });

  test("#set to a null value keeps the variable's previous value (Velocity 1.x)", () => {
    const body = JSON.stringify({ items: [{ v: 'first' }, {}, { v: 'third' }] });
    expect(render("#foreach($i in $input.path('$.items'))#set($v = $i.v)$v;#end", body)).toBe('first;first;third;');
  });

  test('a null reference prints its own text, a quiet one nothing', () => {
    expect(render('$context.nothing|$!context.nothing|$context.identity.apiKey')).toBe(
      '$context.nothing||$context.identity.apiKey',
    );
  });

  test('$context, $stageVariables and $context.responseOverride', () => {
    const context = templateContext({ requestId: 'req-1', stage: 'dev' });
    expect(render('$context.requestId $context.stage $stageVariables.env', '{}', context)).toBe('req-1 dev local');
    render(
      '#set($context.responseOverride.status = 404)#set($context.responseOverride.header.X-Reason = "gone")',
      '{}',
      context,
    );
    expect(context.responseOverride).toEqual({ status: 404, header: { 'X-Reason': 'gone' } });
  });

  test('a template that does not parse is a MappingTemplateError', () => {
    expect(() => render('#if($x')).toThrow(MappingTemplateError);
  });
});

describe('numbers as Java prints and divides them', () => {
  test('integer division truncates; a decimal prints like a Java Double', () => {
    expect(render('#set($a = 7 / 2)$a #set($b = -7 / 2)$b #set($c = 7.0 / 2)$c')).toBe('3 -3 3.5');
    const body = JSON.stringify({ small: 1.5, start: 1700000000.123, tiny: 0.00012 });
    expect(render("$input.path('$.small') $input.path('$.start') $input.path('$.tiny')", body)).toBe(
      '1.5 1.700000000123E9 1.2E-4',
    );
  });
});
