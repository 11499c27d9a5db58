import path from 'node:path';
import type { Template, TemplateResource } from '../../local/template/load';

/** A resource of the template together with its logical id. */
export interface NamedResource {
  logicalId: string;
  resource: TemplateResource;
}

export function resourcesOfType(template: Template, type: string): NamedResource[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource && typeof resource === 'object' && resource.Type === type)
    .map(([logicalId, resource]) => ({ logicalId, resource }));
}

export const serverlessFunctions = (template: Template) => resourcesOfType(template, 'AWS::Serverless::Function');
export const serverlessStateMachines = (template: Template) =>
  resourcesOfType(template, 'AWS::Serverless::StateMachine');

/** A SAM function property with the template's Globals.Function applied (SAM's own precedence: the resource wins). */
export function functionProperty(template: Template, fn: TemplateResource, name: string): unknown {
  return fn.Properties?.[name] ?? template.Globals?.Function?.[name];
}

/** Paths in a template (CodeUri, DefinitionUri) are relative to the template's folder, like SAM's. */
export function resolveFromTemplate(baseDir: string, relative: string): string {
  return path.resolve(baseDir, relative);
}
