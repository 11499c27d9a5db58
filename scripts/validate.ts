/**
 * `npm run validate [-- <template.yaml>]`: the SAM template and every state machine definition, checked offline
 * (SAM schema, references, policy templates, DefinitionSubstitutions, ASL, handlers, and what AWS refuses at deploy
 * time: local/template/aws-rules/). One line per problem; exit 1 when there is any.
 */
import path from 'node:path';
import { DEFAULT_TEMPLATE } from '../local/template/load';
import { formatProblem } from './lib/problems';
import { validateProject } from './lib/validate';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length > 1 || args.some((arg) => arg.startsWith('-'))) {
    console.error('usage: npm run validate [-- <template.yaml>]');
    return 2;
  }
  const templateFile = path.resolve(args[0] ?? DEFAULT_TEMPLATE);
  const problems = await validateProject({ templateFile });
  for (const p of problems) (p.severity === 'warning' ? console.warn : console.error)(formatProblem(p));
  const errors = problems.filter((p) => p.severity !== 'warning').length;
  const shown = path.relative(process.cwd(), templateFile) || templateFile;
  console.log(errors === 0 ? `${shown}: valid` : `${shown}: ${errors} problem${errors === 1 ? '' : 's'}`);
  return errors === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`validate: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
