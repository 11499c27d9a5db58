import { placeholdersIn } from '../../../scripts/lib/validate/state-machine-sources';

/** Reading template values as written (intrinsics unresolved), for the rules. */

export const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at a property path (`['OriginAccessControlConfig', 'Name']`), or undefined. */
export function propertyAt(properties: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (isMapping(node) ? node[key] : undefined), properties);
}

/**
 * What a value refers to: Ref targets, Fn::GetAtt resources, and Fn::Sub's `${Name}` / `${Name.Attribute}`
 * (the resource of an attribute; not `${!Literal}` nor the Sub's own variables).
 */
export function referencedNames(value: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedNames(item, names);
    return names;
  }
  if (!isMapping(value)) return names;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [[key, argument]] = entries;
    if (key === 'Ref' && typeof argument === 'string') return names.add(argument);
    if (key === 'Fn::GetAtt') {
      const target = Array.isArray(argument)
        ? argument[0]
        : typeof argument === 'string'
          ? argument.split('.')[0]
          : undefined;
      return typeof target === 'string' ? names.add(target) : names;
    }
    if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(argument) ? argument : [argument, undefined];
      const own = new Set(isMapping(variables) ? Object.keys(variables) : []);
      for (const placeholder of typeof text === 'string' ? placeholdersIn(text) : []) {
        if (placeholder.startsWith('!') || own.has(placeholder)) continue;
        names.add(placeholder.startsWith('AWS::') ? placeholder : placeholder.split('.')[0]);
      }
      return referencedNames(variables, names);
    }
  }
  for (const [, item] of entries) referencedNames(item, names);
  return names;
}
