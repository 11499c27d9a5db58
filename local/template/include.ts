import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlias, isNode, parseDocument, visit } from 'yaml';
import { cloudFormationTags } from './cloudformation-tags';

/**
 * CloudFormation's AWS::Include transform, done locally: `{'Fn::Transform': {Name: 'AWS::Include', Parameters:
 * {Location: <path>}}}` is replaced by the YAML (or JSON) file at that path, relative to the template's folder, as
 * `sam package` uploads it and CloudFormation inserts it before the AWS::Serverless transform runs. Where the key has
 * siblings (`Resources: {A: ..., Fn::Transform: ...}`), the file's mapping joins them in its place.
 *
 * Refused, each with the file named, because AWS would refuse or misread them too
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-include.html): a Location that
 * is not a local file (an S3 URI cannot be read here), a missing or unreadable file, YAML short forms (`!Sub`),
 * aliases or merge keys in the included file, an included file that includes another, and an include in Parameters.
 */
export class IncludeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncludeError';
  }
}

const TRANSFORM = 'Fn::Transform';

interface Include {
  Name: 'AWS::Include';
  Parameters?: { Location?: unknown };
}

function isInclude(value: unknown): value is Include {
  return (
    !!value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    (value as { Name?: unknown }).Name === 'AWS::Include'
  );
}

const longForm = (name: string) => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);

const isMapping = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** The included file's content; `where` names the place in the template for the messages. */
function readIncluded(include: Include, baseDir: string | undefined, where: string): unknown {
  const location = include.Parameters?.Location;
  if (typeof location !== 'string' || location === '') {
    throw new IncludeError(
      `${where}: AWS::Include needs Parameters.Location, a path to a file of this project (intrinsic functions are not resolved in it locally)`,
    );
  }
  if (/^(s3|https?):\/\//i.test(location)) {
    throw new IncludeError(
      `${where}: AWS::Include of ${location} cannot be read locally; point Location at the file in this project (sam package uploads it to S3)`,
    );
  }
  if (baseDir === undefined) {
    throw new IncludeError(
      `${where}: AWS::Include of ${location} is relative to the template's folder; load the template from its file`,
    );
  }
  const file = path.resolve(baseDir, location);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new IncludeError(`${where}: AWS::Include of ${location}: cannot read ${file}: ${(error as Error).message}`);
  }
  const document = parseDocument(text, { customTags: cloudFormationTags, uniqueKeys: true, merge: false });
  if (document.errors.length > 0)
    throw new IncludeError(`${where}: AWS::Include of ${location}: ${document.errors[0].message}`);
  // CloudFormation parses the included file itself, with none of these YAML features.
  const refused: string[] = [];
  const line = (node: { range?: [number, number, number] | null }) =>
    node.range ? text.slice(0, node.range[0]).split('\n').length : 0;
  visit(document, {
    Alias(_, node) {
      refused.push(
        `line ${line(node)}: alias *${node.source} (CloudFormation reads no YAML aliases in an included file)`,
      );
    },
    Pair(_, pair) {
      if (isNode(pair.key) && (pair.key as { value?: unknown }).value === '<<')
        refused.push(`line ${line(pair.key)}: merge key << (CloudFormation reads no YAML merge keys)`);
    },
    Node(_, node) {
      if (isAlias(node)) return;
      if (node.tag?.startsWith('!'))
        refused.push(
          `line ${line(node)}: short form ${node.tag} (an included file must use the long form, ${longForm(node.tag.slice(1))}:)`,
        );
    },
  });
  if (refused.length > 0) throw new IncludeError(`${where}: AWS::Include of ${location}: ${refused.join('; ')}`);
  const content = document.toJS();
  const nested = findInclude(content, '');
  if (nested !== undefined)
    throw new IncludeError(
      `${where}: AWS::Include of ${location} includes another file (${nested}); CloudFormation does not include from an included file`,
    );
  return content;
}

/** The path of the first AWS::Include in value, if any. */
function findInclude(value: unknown, at: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findInclude(item, `${at}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isMapping(value)) return undefined;
  if (isInclude(value[TRANSFORM])) return at || TRANSFORM;
  for (const [key, item] of Object.entries(value)) {
    const found = findInclude(item, at ? `${at}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

function inline(value: unknown, baseDir: string | undefined, at: string): unknown {
  if (Array.isArray(value)) return value.map((item, index) => inline(item, baseDir, `${at}[${index}]`));
  if (!isMapping(value)) return value;
  const transform = value[TRANSFORM];
  if (isInclude(transform)) {
    if (at === 'Parameters' || at.startsWith('Parameters.'))
      throw new IncludeError(`${at}: AWS::Include is not allowed in Parameters`);
    const content = readIncluded(transform, baseDir, at || TRANSFORM);
    const siblings = Object.keys(value).filter((key) => key !== TRANSFORM);
    if (siblings.length === 0) return content;
    if (!isMapping(content))
      throw new IncludeError(
        `${at}: AWS::Include of ${String(transform.Parameters?.Location)} beside other keys must hold a mapping`,
      );
    const merged: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key !== TRANSFORM) {
        merged[key] = inline(item, baseDir, at ? `${at}.${key}` : key);
        continue;
      }
      for (const [includedKey, includedItem] of Object.entries(content)) {
        if (siblings.includes(includedKey)) {
          throw new IncludeError(
            `${at}: AWS::Include of ${String(transform.Parameters?.Location)} defines ${includedKey}, which is already there`,
          );
        }
        merged[includedKey] = includedItem;
      }
    }
    return merged;
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[key] = inline(item, baseDir, at ? `${at}.${key}` : key);
  return result;
}

/** The template with every local AWS::Include replaced by its file's content (baseDir: the template's folder). */
export function inlineIncludes<T>(template: T, baseDir: string | undefined): T {
  if (findInclude(template, '') === undefined) return template;
  return inline(template, baseDir, '') as T;
}
