import { formatProblem, type Problem } from '../../../scripts/lib/problems';
import type { Template } from '../load';
import { checkAccountWideNames } from './account-wide-names';
import { checkApiGatewayTrust } from './api-gateway-trust';
import { checkMethodResponses } from './method-responses';
import { checkNameLengths } from './name-lengths';
import { checkSyncIntegrationTimeouts } from './sync-integration-timeout';

/**
 * What AWS refuses at deploy time although the template is well formed: one set of rules that `npm run validate`
 * reports and the local cloud refuses to start with, so that nothing runs locally that would roll back in AWS.
 * `baseDir` is the template's folder (DefinitionUri is read from it).
 */
export function checkAwsRules(template: Template, baseDir: string): Problem[] {
  return [
    ...checkMethodResponses(template),
    ...checkNameLengths(template),
    ...checkAccountWideNames(template),
    ...checkApiGatewayTrust(template),
    ...checkSyncIntegrationTimeouts(template, baseDir),
  ];
}

/** The template would be refused by AWS: names the template and lists every problem, one per line. */
export class TemplateRefusedError extends Error {
  constructor(
    readonly source: string,
    readonly problems: Problem[],
  ) {
    super(
      `${source} would be refused by AWS (npm run validate reports the same):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
    );
    this.name = 'TemplateRefusedError';
  }
}

/** Throws TemplateRefusedError when any rule reports an error. */
export function refuseWhatAwsRefuses(template: Template, baseDir: string, source: string): void {
  const errors = checkAwsRules(template, baseDir).filter((p) => p.severity !== 'warning');
  if (errors.length > 0) throw new TemplateRefusedError(source, errors);
}
