/**
 * fast-check arbitraries for hostile input, shared by the hostile tests: strings no field should choke on
 * (astral characters, lone surrogates, RTL overrides, NUL, script tags, a megabyte), values of the wrong type,
 * impossible dates, prototype-polluting keys, malformed JSON, and request bodies that are invalid by
 * construction (a valid body with at least one field broken), so every generated request has one right answer:
 * refused, with nothing written.
 */
import fc from 'fast-check';

/** A fixed seed: every run generates the same cases, and a failure prints it with the counterexample's path. */
export const SEED = 20_260_207;

/**
 * A run of a property: the fixed seed, a bounded count, and no shrinking (endOnFailure): each step would be more
 * HTTP calls and invocations, and the counterexample is small already, the valid body with a field or two broken.
 */
export function runs(numRuns: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns, endOnFailure: true };
}

const MEGABYTE = 1024 * 1024;

/** Text that is hostile to parsers, stores and pages, but is well-formed text a person could type. */
export const hostileButValidText = fc.constantFrom(
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "Robert'); DROP TABLE Students;--",
  '\u202eevil\u202c name', // RTL override
  'שלום עולם', // Hebrew
  'مرحبا', // Arabic
  '𝕳𝖊𝖑𝖑𝖔 😀 🏳️‍🌈', // astral characters, ZWJ sequence
  'Zoë Ångström',
  '{{7*7}} ${7*7} #{7*7}',
  '%s%s%s%n',
  '../../etc/passwd',
);

/** Strings no store or email can hold faithfully, in any text field: lone surrogates, NUL, other control characters. */
export const malformedText = fc.constantFrom(
  '\ud800',
  'a\udfffb',
  '\udc00\ud800',
  'nul\u0000byte',
  '\u0000',
  'bell\u0007',
  'esc\u001b[31m',
  'del\u007f',
);

/** Line breaks and tabs: fine in a name or a description, not in an id (they would split a log line or a key). */
export const lineBreaks = fc.constantFrom('line\r\nBcc: victim@example.com', 'two\nlines', 'tab\tbed');

/**
 * A megabyte of text. It serialises (JSON.stringify) as the full string but prints in fast-check's reports as a
 * short label, so a counterexample stays readable.
 */
export class Megabyte {
  toJSON(): string {
    return 'x'.repeat(MEGABYTE);
  }
  [fc.toStringMethod](): string {
    return `<${MEGABYTE} × "x">`;
  }
}

export const megabyteString = fc.constant(new Megabyte());

/** Dates in the YYYY-MM-DD slot that are no calendar day, or not in that format. */
export const impossibleDate = fc.constantFrom(
  '2026-02-30',
  '2026-02-29', // 2026 is no leap year
  '2026-13-01',
  '2026-00-10',
  '2026-04-31',
  '2026-2-3',
  '2026-02-3',
  '26-02-03',
  '2026/02/03',
  '2026-02-03T00:00:00Z',
  ' 2026-02-03',
  '2026-02-03 ',
  '+02026-02-03',
  '0000-00-00',
  '9999-99-99',
  'tomorrow',
  '',
);

/** Values that are not strings, for fields that must be strings. */
export const notAString: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.constant({}),
  fc.constant({ S: 'typed' }),
  fc.constant([[[[[]]]]]),
  nestedObject(),
);

/** A deep object, to find code that walks input recursively. */
function nestedObject(): fc.Arbitrary<unknown> {
  return fc.integer({ min: 5, max: 200 }).map((depth) => {
    let value: unknown = 'bottom';
    for (let level = 0; level < depth; level += 1) value = { nested: value };
    return value;
  });
}

/** Keys that pollute prototypes when code copies input with plain assignment. */
export const prototypeKey = fc.constantFrom('__proto__', 'constructor', 'prototype');

/** JSON texts that are not JSON at all, or not an object. */
export const notAJsonObjectText = fc.constantFrom(
  '',
  ' ',
  '{',
  '}',
  '{"a":',
  '{"TransactionType":"Reserve",}',
  "{'TransactionType':'Reserve'}",
  '{"a":1}{"b":2}',
  'undefined',
  'NaN',
  'null',
  'true',
  '0',
  '-1e999',
  '"a string"',
  '[]',
  '[{"TransactionType":"Reserve"}]',
  '\u0000',
  '\ufeff{}',
  '<xml/>',
  '<script>alert(1)</script>',
  'TransactionType=Reserve&GuestName=x',
);

/**
 * A JSON object text with `key` as an own property holding `value` (JSON.stringify cannot write a `__proto__`
 * key: an object literal's `__proto__` sets the prototype instead).
 */
function withRawKey(json: string, key: string, value: unknown): string {
  const inner = json.trim().slice(1, -1).trim();
  const member = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  return `{${member}${inner ? `,${inner}` : ''}}`;
}

/**
 * The request body a client sends: a value to serialise (with one extra member written first, for keys
 * JSON.stringify cannot write, such as `__proto__`), or raw text sent as it is.
 */
export type Body = { json: unknown; extra?: [key: string, value: unknown] } | { text: string };

export function bodyText(body: Body): string {
  if ('text' in body) return body.text;
  const json = JSON.stringify(body.json);
  return body.extra ? withRawKey(json, body.extra[0], body.extra[1]) : json;
}

/** A short label for a body in failure messages (a megabyte would drown the report). */
export function describeBody(body: Body): string {
  const text = bodyText(body);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

export interface FieldRule {
  /** Values that make the field invalid. */
  invalid: fc.Arbitrary<unknown>;
  /** The field must be present. */
  required: boolean;
}

/** Wrong types, malformed text and a megabyte: invalid for any bounded string field. */
export const invalidForAnyText: fc.Arbitrary<unknown> = fc.oneof(notAString, malformedText, megabyteString);

/**
 * Bodies that are invalid by construction: the valid body with at least one field broken (wrong type,
 * malformed text, impossible value, or missing when required), with hostile-but-valid text in the fields left,
 * and prototype keys added; or a body that is no JSON object at all.
 */
export function invalidBody(
  valid: () => Record<string, unknown>,
  rules: Record<string, FieldRule>,
): fc.Arbitrary<Body> {
  const fields = Object.keys(rules);
  const brokenField = fc.constantFrom(...fields).chain((field) => {
    const rule = rules[field];
    const choices: fc.Arbitrary<{ field: string; value: unknown; remove: boolean }>[] = [
      rule.invalid.map((value) => ({ field, value, remove: false })),
    ];
    if (rule.required) choices.push(fc.constant({ field, value: undefined, remove: true }));
    return fc.oneof(...choices);
  });
  const brokenObject = fc
    .record({
      broken: fc.array(brokenField, { minLength: 1, maxLength: 3 }),
      decorate: fc.option(fc.tuple(prototypeKey, fc.oneof(fc.constant({ polluted: true }), notAString)), {
        nil: undefined,
      }),
      hostileText: fc.option(fc.tuple(fc.constantFrom(...fields), hostileButValidText), { nil: undefined }),
    })
    .map(({ broken, decorate, hostileText }): Body => {
      const body: Record<string, unknown> = valid();
      if (hostileText && typeof body[hostileText[0]] === 'string') body[hostileText[0]] = hostileText[1];
      for (const { field, value, remove } of broken) {
        if (remove) delete body[field];
        else body[field] = value;
      }
      return decorate ? { json: body, extra: decorate } : { json: body };
    });
  const notAnObject = fc.oneof(
    notAJsonObjectText.map((text): Body => ({ text })),
    fc
      .oneof(fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }), fc.string(), fc.integer())
      .map((json): Body => ({ json })),
  );
  return fc.oneof({ weight: 4, arbitrary: brokenObject }, { weight: 1, arbitrary: notAnObject });
}

/** Path segments and query values a client might send, URL-encoded by the caller. */
export const hostilePathSegment = fc.oneof(
  hostileButValidText,
  malformedText,
  fc.constantFrom('%', '%zz', '%2e%2e', '\\', ' ', 'x'.repeat(4000), 'null', 'undefined', '__proto__', 'constructor'),
  // Not empty, '.' or '..': those name another route (the list), which a client's URL normalisation makes of them.
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((segment) => segment !== '.' && segment !== '..'),
);

/** Content types a JSON route should not accept as JSON. */
export const wrongContentType = fc.constantFrom(
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/html',
  'application/octet-stream',
  'garbage',
);

/**
 * encodeURIComponent, except that a lone surrogate (which encodeURIComponent refuses with a URIError) is written
 * as the three bytes a careless encoder (WTF-8) would produce: invalid UTF-8 the server must refuse, not crash on.
 */
export function percentEncode(value: string): string {
  let encoded = '';
  for (let index = 0; index < value.length; index += 1) {
    const unit = value.charCodeAt(index);
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const next = value.charCodeAt(index + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      encoded += encodeURIComponent(value.slice(index, index + 2));
      index += 1;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      encoded += bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      encoded += encodeURIComponent(value[index]);
    }
  }
  return encoded;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Bodies for an event rather than an HTTP request: a Lambda event is always JSON, so only JSON texts are kept. */
export function invalidEvent(
  valid: () => Record<string, unknown>,
  rules: Record<string, FieldRule>,
): fc.Arbitrary<Body> {
  return invalidBody(valid, rules).filter((body) => !('text' in body) || isJson(body.text));
}

/** The event a body stands for (what Lambda hands the function: the JSON parsed, own `__proto__` keys kept). */
export function eventOf(body: Body): unknown {
  return JSON.parse(bodyText(body));
}
