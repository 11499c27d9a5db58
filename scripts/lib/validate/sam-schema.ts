import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import { PROJECT_ROOT, type Template } from '../../../local/template/load';
import { problem, type Problem } from '../problems';

/**
 * The template against the SAM team's JSON schema (schemas/sam/sam.schema.json, draft-04). The root schema makes
 * every resource an anyOf over all SAM types, which buries the real mistake under dozens of alternatives; so, as
 * schemas/README.md advises, each resource is validated against the definition of its own Type and Globals
 * against the Globals definition.
 */
const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schemas/sam/sam.schema.json');
const SCHEMA_ID = 'sam';
const DEFINITION_PREFIX = 'samtranslator__internal__schema_source__';
const ANY_CLOUDFORMATION_RESOURCE = `${DEFINITION_PREFIX}any_cfn_resource__Resource`;
const TOP_LEVEL_KEYS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Globals',
  'Resources',
  'Outputs',
]);

let ajv: Ajv | undefined;
function schemaValidator(definition: string): ValidateFunction | undefined {
  if (!ajv) {
    // strict: false because the schema carries annotation keywords (markdownDescription, __samPassThrough, ...).
    ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')), SCHEMA_ID);
  }
  return ajv.getSchema(`${SCHEMA_ID}#/definitions/${definition}`);
}

/** `AWS::Serverless::StateMachine` → its definition name in sam.schema.json. */
function definitionFor(type: string): string {
  if (!type.startsWith('AWS::Serverless::')) return ANY_CLOUDFORMATION_RESOURCE;
  return `${DEFINITION_PREFIX}aws_serverless_${type.slice('AWS::Serverless::'.length).toLowerCase()}__Resource`;
}

/**
 * ajv reports each failed branch of an anyOf as well as the anyOf itself; the most specific errors (deepest
 * instance path) say what to fix, so only those are kept, and the alternatives' "must be <type>" are merged
 * into one line per place.
 */
function describeErrors(errors: ErrorObject[]): string[] {
  const depth = (error: ErrorObject) => error.instancePath.split('/').length;
  const deepest = Math.max(...errors.map(depth));
  const specific = errors.filter(
    (error) => depth(error) === deepest && error.keyword !== 'anyOf' && error.keyword !== 'oneOf',
  );
  const chosen = specific.length > 0 ? specific : errors;
  const types = new Map<string, string[]>();
  const lines: string[] = [];
  for (const error of chosen) {
    const where = error.instancePath || '/';
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'type') {
      if (!types.has(where)) lines.push(where);
      types.set(where, [...(types.get(where) ?? []), String(params.type)]);
      continue;
    }
    const detail =
      error.keyword === 'additionalProperties'
        ? ` "${String(params.additionalProperty)}"`
        : error.keyword === 'enum'
          ? ` (${(params.allowedValues as unknown[]).join(', ')})`
          : '';
    lines.push(`${where} ${error.message}${detail}`);
  }
  const described = lines.map((line) => (types.has(line) ? `${line} must be ${types.get(line)!.join(' or ')}` : line));
  return [...new Set(described)];
}

export function checkSamSchema(template: Template): Problem[] {
  const problems: Problem[] = [];
  for (const key of Object.keys(template)) {
    if (!TOP_LEVEL_KEYS.has(key)) problems.push(problem('TemplateStructure', key, 'is not a template section'));
  }
  if (template.Globals !== undefined) {
    const validate = schemaValidator('__main____Globals')!;
    if (!validate(template.Globals)) {
      for (const line of describeErrors(validate.errors ?? []))
        problems.push(problem('SchemaViolation', 'Globals', line));
    }
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const location = `Resources.${logicalId}`;
    if (!resource || typeof resource !== 'object' || typeof resource.Type !== 'string') {
      problems.push(problem('SchemaViolation', location, 'a resource needs a Type'));
      continue;
    }
    const validate = schemaValidator(definitionFor(resource.Type));
    if (!validate) {
      problems.push(problem('SchemaViolation', location, `unknown SAM resource type ${resource.Type}`));
      continue;
    }
    if (!validate(resource)) {
      for (const line of describeErrors(validate.errors ?? []))
        problems.push(problem('SchemaViolation', location, line));
    }
  }
  return problems;
}
