import type { Compile } from 'velocityjs';
import { javaRegex, javaReplacement, javaSplit } from './java-regex';
import { javaToString } from './java-format';

/**
 * In API Gateway a template's values are Java objects (String, Map, List, numbers), so templates call Java
 * methods on them: `$s.length()`, `$s.replaceAll("\\'", "'")`, `$map.containsKey("x")`, `$s.matches(...)`.
 * velocityjs calls the JavaScript method of the same name when there is one, which is wrong or missing for
 * these (`length` is a property, `replaceAll`/`replace` take literal strings, `split` keeps trailing
 * empties, `contains`/`equals`/`isEmpty`/`containsKey`/`matches` do not exist). These handlers give the
 * Java meaning; velocityjs tries them before its own `get`/`keySet`/`size`/... handlers.
 */

type CompileConfig = NonNullable<ConstructorParameters<typeof Compile>[1]>;
type Handler = NonNullable<CompileConfig['customMethodHandlers']>[number];
type Payload = Parameters<Handler['resolve']>[0];

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function javaEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return a === b;
}

/** A Java method `name` on the values `applies` accepts; `resolve` is called only with such a value. */
function method<Target>(
  name: string,
  applies: (target: unknown) => target is Target,
  resolve: (target: Target, params: unknown[]) => unknown,
): Handler {
  return {
    uid: `java: ${name}`,
    match: ({ property, context }: Payload) => property === name && applies(context),
    // velocityjs calls resolve only for a handler whose match answered true: applies(context) held.
    resolve: ({ context, params }: Payload) => resolve(context as Target, params),
  };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isList = (value: unknown): value is unknown[] => Array.isArray(value);
const isCollection = (value: unknown): value is string | unknown[] | Record<string, unknown> =>
  isString(value) || isList(value) || isMap(value);
/** java.lang.Object's methods apply to every value. */
const isObject = (_value: unknown): _value is unknown => true;
const str = (value: unknown) => (value === null || value === undefined ? 'null' : javaToString(value));

export const javaMethodHandlers: Handler[] = [
  // java.lang.String
  method('length', isString, (s: string) => s.length),
  method('isEmpty', isCollection, (v: string | unknown[] | Record<string, unknown>) =>
    isMap(v) ? Object.keys(v).length === 0 : v.length === 0,
  ),
  method(
    'contains',
    (v) => isString(v) || isList(v),
    (v: string | unknown[], [x]) => (isString(v) ? v.includes(str(x)) : v.some((item) => javaEquals(item, x))),
  ),
  method('equals', isObject, (v: unknown, [x]) => javaEquals(v, x)),
  method('equalsIgnoreCase', isString, (s: string, [x]) => isString(x) && s.toLowerCase() === x.toLowerCase()),
  method('matches', isString, (s: string, [regex]) => javaRegex(str(regex), true).test(s)),
  method('replaceAll', isString, (s: string, [regex, replacement]) =>
    s.replace(javaRegex(str(regex)), javaReplacement(str(replacement))),
  ),
  method('replaceFirst', isString, (s: string, [regex, replacement]) => {
    const first = new RegExp(javaRegex(str(regex)).source, javaRegex(str(regex)).flags.replace('g', ''));
    return s.replace(first, javaReplacement(str(replacement)));
  }),
  method('replace', isString, (s: string, [target, replacement]) => s.split(str(target)).join(str(replacement))),
  method('split', isString, (s: string, [regex]) => javaSplit(s, str(regex))),
  method('substring', isString, (s: string, [begin, end]) => {
    const from = Number(begin);
    const to = end === undefined ? s.length : Number(end);
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > s.length || from > to) {
      throw new RangeError(
        `String index out of range: begin ${String(begin)}, end ${String(end ?? s.length)}, length ${s.length}`,
      );
    }
    return s.substring(from, to);
  }),
  // java.util.Map: get is an exact lookup of an entry (velocityjs's would also try the name with its first
  // letter's case flipped, and find what an object inherits).
  method('get', isMap, (m: Record<string, unknown>, [key]) => (Object.hasOwn(m, str(key)) ? m[str(key)] : null)),
  method('containsKey', isMap, (m: Record<string, unknown>, [key]) => Object.hasOwn(m, str(key))),
  method('containsValue', isMap, (m: Record<string, unknown>, [value]) =>
    Object.values(m).some((item) => javaEquals(item, value)),
  ),
  method('values', isMap, (m: Record<string, unknown>) => Object.values(m)),
  // java.lang.Object
  method('toString', isObject, (v: unknown) => javaToString(v)),
];
