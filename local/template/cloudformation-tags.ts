import type { CollectionTag, ScalarTag } from 'yaml';

/**
 * CloudFormation's short-form intrinsic tags (`!Ref X`, `!GetAtt A.B`, `!Sub '...'`) as yaml custom tags,
 * each resolving to the long JSON form CloudFormation itself uses (`{Ref: X}`, `{'Fn::GetAtt': [A, B]}`).
 * The yaml package has no CloudFormation schema, and these few lines are the whole of it.
 */
const FUNCTIONS = [
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'And',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'Condition',
  'Length',
  'ToJsonString',
] as const;

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** `!GetAtt A.B.C` in scalar form means `['A', 'B.C']`: the logical id is everything before the first dot. */
function scalarValue(name: string, value: string): unknown {
  if (name === 'GetAtt') {
    const dot = value.indexOf('.');
    return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
  }
  return value;
}

function tagsFor(name: string): Array<ScalarTag | CollectionTag> {
  const tag = `!${name}`;
  const key = longName(name);
  return [
    { tag, resolve: (value: string) => ({ [key]: scalarValue(name, value) }) },
    { tag, collection: 'seq', resolve: (seq) => ({ [key]: seq.toJSON() }) },
    { tag, collection: 'map', resolve: (map) => ({ [key]: map.toJSON() }) },
  ] as Array<ScalarTag | CollectionTag>;
}

export const cloudFormationTags: Array<ScalarTag | CollectionTag> = ['Ref', ...FUNCTIONS].flatMap(tagsFor);
