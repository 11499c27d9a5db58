import path from 'node:path';
import { checkAwsRules } from '../../../local/template/aws-rules';
import { DEFAULT_TEMPLATE, loadTemplate, TemplateError, type Template } from '../../../local/template/load';
import { problem, type Problem } from '../problems';
import { checkDefinition } from './asl';
import { checkHandlers } from './handlers';
import { checkPolicyTemplates } from './policy-templates';
import { checkReferences } from './references';
import { checkRoomsHash } from './rooms-hash';
import { checkSamSchema } from './sam-schema';
import { readStateMachineSources } from './state-machine-sources';
import { checkSubstitutions } from './substitutions';

export interface ValidateOptions {
  /** Defaults to the project's template.yaml. */
  templateFile?: string;
  /** Where CodeUri and DefinitionUri are resolved from; defaults to the template's folder (as SAM does). */
  baseDir?: string;
}

/** Every check of `npm run validate` on an already parsed template. */
export async function validateTemplate(template: Template, baseDir: string): Promise<Problem[]> {
  const { sources, problems: unreadable } = readStateMachineSources(template, baseDir);
  return [
    ...checkSamSchema(template),
    ...checkReferences(template),
    ...checkPolicyTemplates(template),
    ...unreadable,
    ...sources.flatMap((source) => [...checkSubstitutions(source), ...checkDefinition(source, template)]),
    ...(await checkHandlers(template, baseDir)),
    ...checkAwsRules(template, baseDir),
    ...checkRoomsHash(template, baseDir),
  ];
}

/** Reads the template (CloudFormation short tags included) and validates it; an unreadable template is one problem. */
export async function validateProject(options: ValidateOptions = {}): Promise<Problem[]> {
  const templateFile = options.templateFile ?? DEFAULT_TEMPLATE;
  let template: Template;
  try {
    template = loadTemplate(templateFile);
  } catch (error) {
    if (error instanceof TemplateError) return [problem('TemplateUnreadable', templateFile, error.message)];
    throw error;
  }
  return validateTemplate(template, options.baseDir ?? path.dirname(templateFile));
}
