import { problem, type Problem } from '../problems';
import { placeholdersIn, type StateMachineSource } from './state-machine-sources';

/**
 * Every `${Name}` in a definition must be provided by DefinitionSubstitutions (otherwise the deployed definition
 * keeps the literal text), and every substitution must be used (otherwise it is a stale or misspelt name).
 */
export function checkSubstitutions(source: StateMachineSource): Problem[] {
  const used = placeholdersIn(source.text);
  const provided = new Set(Object.keys(source.substitutions));
  const location = `Resources.${source.logicalId}.DefinitionSubstitutions`;
  return [
    ...[...used]
      .filter((name) => !provided.has(name))
      .map((name) =>
        problem('SubstitutionMissing', location, `\${${name}} is used in ${source.origin} but not provided`),
      ),
    ...[...provided]
      .filter((name) => !used.has(name))
      .map((name) =>
        problem('SubstitutionUnused', location, `${name} is provided but ${source.origin} never uses \${${name}}`),
      ),
  ];
}
