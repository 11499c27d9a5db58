import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Template } from '../../../local/template/load';
import { resolveFromTemplate, resourcesOfType } from '../../../local/template/queries';
import { problem, type Problem } from '../problems';

/** A state machine's definition text as the template points to it, before DefinitionSubstitutions. */
export interface StateMachineSource {
  logicalId: string;
  type: 'STANDARD' | 'EXPRESS';
  /** Where the definition comes from, for messages: a project-relative file or `Resources.<id>.Definition`. */
  origin: string;
  text: string;
  substitutions: Record<string, unknown>;
}

/** `${Name}` placeholders, the syntax of DefinitionSubstitutions (the same as Fn::Sub's). */
export function placeholdersIn(text: string): Set<string> {
  return new Set([...text.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]));
}

export function readStateMachineSources(
  template: Template,
  baseDir: string,
): { sources: StateMachineSource[]; problems: Problem[] } {
  const sources: StateMachineSource[] = [];
  const problems: Problem[] = [];
  for (const { logicalId, resource } of resourcesOfType(template, 'AWS::Serverless::StateMachine')) {
    const properties = resource.Properties ?? {};
    const type = properties.Type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
    const substitutions =
      properties.DefinitionSubstitutions && typeof properties.DefinitionSubstitutions === 'object'
        ? (properties.DefinitionSubstitutions as Record<string, unknown>)
        : {};
    if (properties.Definition !== undefined) {
      sources.push({
        logicalId,
        type,
        origin: `Resources.${logicalId}.Definition`,
        text: JSON.stringify(properties.Definition),
        substitutions,
      });
      continue;
    }
    const uri = properties.DefinitionUri;
    if (typeof uri !== 'string') continue; // an S3 location object: nothing local to check
    if (uri.startsWith('s3://')) continue;
    const file = resolveFromTemplate(baseDir, uri);
    const origin = path.relative(baseDir, file) || file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(
        problem(
          'DefinitionUnreadable',
          `Resources.${logicalId}.DefinitionUri`,
          `cannot read ${uri}: ${(error as Error).message}`,
        ),
      );
      continue;
    }
    // Placeholders sit inside JSON strings, so the file is JSON before substitution too.
    try {
      JSON.parse(text);
    } catch (error) {
      problems.push(problem('DefinitionUnreadable', origin, `not valid JSON: ${(error as Error).message}`));
      continue;
    }
    sources.push({ logicalId, type, origin, text, substitutions });
  }
  return { sources, problems };
}
