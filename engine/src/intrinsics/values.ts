/** JSON-value helpers the intrinsic functions share: AWS's equality and AWS's (Java) string rendering. */
import { isPlainObject } from '../json/objects';

/** Structural equality of JSON values: numbers by value, object keys in any order. */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEquals(item, b[i]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEquals(a[key], b[key]))
    );
  }
  return false;
}

/**
 * How States.Format renders an argument. AWS runs on Java and prints values with Java's toString:
 * strings as they are, `null` as "null", an object `{"Arg1": 1, "Arg2": []}` as `{Arg1=1, Arg2=[]}`
 * (recorded: intrinsic_functions.test_generic.test_format_2.run_7) and arrays as `[a, b]`.
 */
export function javaToString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(javaToString).join(', ')}]`;
  if (isPlainObject(value))
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${javaToString(item)}`)
      .join(', ')}}`;
  return String(value);
}
