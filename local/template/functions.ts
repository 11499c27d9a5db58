/**
 * The template's AWS::Serverless::Function resources as SAM deploys them: each one's Properties with
 * Globals.Function applied by SAM's merge rules (./globals.ts). Everything that reads a function's settings (the
 * Lambda runner, npm run build and invoke, validate, the AWS rules, the benchmark) reads them from here.
 */
import { propertiesWithGlobals } from './globals';
import type { Template, TemplateResource } from './load';
import { resourcesOfType } from './queries';

const SERVERLESS_FUNCTION = 'AWS::Serverless::Function';

export interface ServerlessFunction {
  logicalId: string;
  /** The resource as written (its Metadata, Condition and other attributes). */
  resource: TemplateResource;
  /** Its Properties with Globals.Function applied; values are as written (intrinsics unresolved). */
  properties: Record<string, unknown>;
}

function withGlobals(template: Template, logicalId: string, resource: TemplateResource): ServerlessFunction {
  return { logicalId, resource, properties: propertiesWithGlobals(template, 'Function', resource) };
}

/** Every AWS::Serverless::Function of the template, in template order, whatever its Condition. */
export function serverlessFunctions(template: Template): ServerlessFunction[] {
  return resourcesOfType(template, SERVERLESS_FUNCTION).map(({ logicalId, resource }) =>
    withGlobals(template, logicalId, resource),
  );
}

/** The AWS::Serverless::Function with that logical id, or undefined when the template has no such function. */
export function serverlessFunction(template: Template, logicalId: string): ServerlessFunction | undefined {
  const resource = Object.hasOwn(template.Resources, logicalId) ? template.Resources[logicalId] : undefined;
  return resource?.Type === SERVERLESS_FUNCTION ? withGlobals(template, logicalId, resource) : undefined;
}

/** The names of the environment variables a function declares (Environment.Variables after Globals). */
export function environmentVariableNames(fn: ServerlessFunction): string[] {
  const variables = (fn.properties.Environment as { Variables?: unknown } | undefined)?.Variables;
  return variables && typeof variables === 'object' && !Array.isArray(variables) ? Object.keys(variables) : [];
}
