import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cloudFormationTags } from './cloudformation-tags';
import { IncludeError, inlineIncludes } from './include';

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
}

export interface Template {
  AWSTemplateFormatVersion?: string;
  Transform?: string | string[];
  Description?: string;
  Parameters?: Record<
    string,
    { Type: string; Default?: unknown; AllowedValues?: unknown[]; MaxLength?: number | string; Description?: string }
  >;
  Conditions?: Record<string, unknown>;
  Globals?: Record<string, Record<string, unknown>>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string; Export?: unknown }>;
}

/** Names the file and the problem when template.yaml cannot be read as a CloudFormation template. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_TEMPLATE = path.join(PROJECT_ROOT, 'template.yaml');

/**
 * Parses template text; short-form intrinsics come back in their long form (`{Ref: X}`, `{'Fn::Sub': ...}`), YAML
 * aliases and merge keys (`<<: *anchor`) are resolved as SAM CLI's YAML loader resolves them, and every local
 * AWS::Include is replaced by its file, read from baseDir (the template's folder; see include.ts).
 */
export function parseTemplate(text: string, source = 'template', options: { baseDir?: string } = {}): Template {
  let template: unknown;
  try {
    template = parse(text, { customTags: cloudFormationTags, uniqueKeys: true, maxAliasCount: 100, merge: true });
  } catch (error) {
    throw new TemplateError(`${source}: ${(error as Error).message}`);
  }
  try {
    template = inlineIncludes(template, options.baseDir);
  } catch (error) {
    if (error instanceof IncludeError) throw new TemplateError(`${source}: ${error.message}`);
    throw error;
  }
  if (!template || typeof template !== 'object' || Array.isArray(template)) {
    throw new TemplateError(`${source}: a template must be a YAML mapping`);
  }
  const resources = (template as Template).Resources;
  if (!resources || typeof resources !== 'object' || Array.isArray(resources)) {
    throw new TemplateError(`${source}: the template has no Resources mapping`);
  }
  return template as Template;
}

export function loadTemplate(file: string = DEFAULT_TEMPLATE): Template {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TemplateError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parseTemplate(text, path.relative(process.cwd(), file) || file, { baseDir: path.dirname(file) });
}
