/**
 * SAM's Globals merge, as the SAM translator applies it before it transforms a resource
 * (aws/serverless-application-model, samtranslator/plugins/globals/globals.py, GlobalProperties._do_merge; the
 * rules are documented in that repository's docs/globals.rst and on "Globals section of the AWS SAM template",
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html):
 *
 * - a primitive (string, number, boolean, null) in the resource replaces the Globals value;
 * - an intrinsic function (a mapping with one key, `Ref`, `Condition` or `Fn::*`) counts as a primitive, whichever
 *   side it is on: it is never merged into, nor merged with, a mapping;
 * - when the two sides have different kinds (a list and a mapping, a mapping and a string...), the resource's wins;
 * - mappings are merged key by key, recursively with these same rules (Environment.Variables: the union of both,
 *   the resource's value for a name both declare);
 * - lists are concatenated, the Globals entries first, without removing duplicates (Layers, Architectures,
 *   VpcConfig.SecurityGroupIds...);
 * - the resource attribute `IgnoreGlobals` drops every Globals property (`"*"`) or those it lists (added by
 *   aws/serverless-application-model#3386, Globals.get_template_globals).
 *
 * What SAM refuses is left to `npm run validate`: a property SAM does not take in Globals (its schema check), and
 * an IgnoreGlobals naming a property Globals does not set (the merge here leaves such a name alone).
 */
import type { Template, TemplateResource } from './load';

/** Globals section names: the resource type without its `AWS::Serverless::` prefix. */
export type GlobalsSection =
  | 'Function'
  | 'Api'
  | 'HttpApi'
  | 'SimpleTable'
  | 'StateMachine'
  | 'LayerVersion'
  | 'CapacityProvider';

type Json = unknown;

/** `{Ref: X}`, `{Condition: X}`, `{'Fn::Sub': ...}`: SAM's is_intrinsics (one key, an intrinsic's name). */
export function isIntrinsic(value: Json): boolean {
  if (!isMapping(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

function isMapping(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

type Kind = 'primitive' | 'mapping' | 'list';
function kindOf(value: Json): Kind {
  if (Array.isArray(value)) return 'list';
  return isMapping(value) && !isIntrinsic(value) ? 'mapping' : 'primitive';
}

/** One value of Globals merged with the resource's value for the same property (see the rules above). */
export function mergeGlobalValue(globalValue: Json, localValue: Json): Json {
  const kind = kindOf(globalValue);
  if (kind !== kindOf(localValue) || kind === 'primitive') return localValue;
  if (kind === 'list') return [...(globalValue as Json[]), ...(localValue as Json[])];
  const merged: Record<string, Json> = { ...(globalValue as Record<string, Json>) };
  for (const [key, value] of Object.entries(localValue as Record<string, Json>)) {
    merged[key] = key in merged ? mergeGlobalValue(merged[key], value) : value;
  }
  return merged;
}

/** The Globals properties that apply to a resource after its IgnoreGlobals attribute. */
function applicableGlobals(globals: Record<string, Json>, resource: TemplateResource): Record<string, Json> {
  const ignore = (resource as { IgnoreGlobals?: unknown }).IgnoreGlobals;
  if (ignore === '*') return {};
  if (!Array.isArray(ignore)) return globals;
  return Object.fromEntries(Object.entries(globals).filter(([name]) => !ignore.includes(name)));
}

/** The resource's Properties with the template's Globals for its section applied, as SAM deploys them. */
export function propertiesWithGlobals(
  template: Template,
  section: GlobalsSection,
  resource: TemplateResource,
): Record<string, unknown> {
  const properties = isMapping(resource.Properties) ? resource.Properties : {};
  const globals = template.Globals?.[section];
  if (!isMapping(globals)) return properties;
  return mergeGlobalValue(applicableGlobals(globals, resource), properties) as Record<string, unknown>;
}
