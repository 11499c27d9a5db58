/** Lookups in a parsed template: its resources by type, and the files they name. */
import path from 'node:path';
import type { Template, TemplateResource } from './load';

/** A resource of the template together with its logical id. */
export interface NamedResource {
  logicalId: string;
  resource: TemplateResource;
}

/** The resources of any of these types, in template order (a malformed entry without a Type is skipped). */
export function resourcesOfType(template: Template, ...types: string[]): NamedResource[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource && typeof resource === 'object' && types.includes(resource.Type))
    .map(([logicalId, resource]) => ({ logicalId, resource }));
}

/** Paths in a template (CodeUri, DefinitionUri) are relative to the template's folder, like SAM's. */
export function resolveFromTemplate(templateDir: string, relative: string): string {
  return path.resolve(templateDir, relative);
}
