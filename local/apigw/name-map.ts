import { javaToString } from './vtl/java-format';

/**
 * Maps keyed by names a client chose (query parameters, headers, JSON keys of a body, path parameters, stage
 * variables). In API Gateway these are Java Maps, where `constructor`, `toString`, `hasOwnProperty` or
 * `__proto__` is an ordinary key; in a plain JavaScript object such a name finds a member of Object.prototype
 * (`map[name] ??= []` then takes the inherited function for the list), so these maps inherit nothing a
 * name can reach. Their prototype holds only Symbol.toPrimitive, for Java's Map.toString (`{a=1, b=x}`): the
 * template engine compares and concatenates values (`#if($map == 'x')`), which needs a primitive.
 */
const NAME_MAP_PROTOTYPE: object = Object.freeze(
  Object.create(null, {
    [Symbol.toPrimitive]: {
      value(this: object) {
        return javaToString(this);
      },
    },
  }),
);

/** A name map holding `entries` (a later entry of the same name wins). */
export function nameMap<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const map = Object.create(NAME_MAP_PROTOTYPE) as Record<string, T>;
  // Plain assignment is safe: with no Object.prototype in the chain `__proto__` is no accessor, just a key.
  for (const [name, value] of entries) map[name] = value;
  return map;
}

/** The value under `name` when the map holds that name itself, whatever the map's prototype. */
export function ownValue<T>(map: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

/** The value at a path of own properties (`['error', 'message']`), or undefined where the path leaves the data. */
export function ownPath(root: unknown, keys: readonly string[]): unknown {
  let value = root;
  for (const key of keys) {
    if (!value || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * JSON.parse whose objects are name maps: what a template gets from a body (`$input.path`, `$util.parseJson`)
 * is the client's data, where a key like `toString` must read as the client's value or as absent.
 */
export function parseJsonToNameMaps(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.setPrototypeOf(value, NAME_MAP_PROTOTYPE)
      : value,
  );
}
