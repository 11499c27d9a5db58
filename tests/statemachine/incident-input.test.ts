/**
 * The plagiarism workflow's ValidateIncident state checks its input with the rules POST /incident's IncidentRequest
 * model checks the body with (StartExecution can be called without the API). JSONata has no JSON Schema, so the
 * rules are written twice; this keeps the two copies equal: every pattern and length of the model appears in the
 * definition's condition, for the same field.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';

interface FieldRule {
  pattern: string;
  minLength?: number;
  maxLength?: number;
}

const model = (
  loadTemplate().Resources.Api.Properties as { DefinitionBody: { components: { schemas: Record<string, { properties: Record<string, FieldRule> }> } } }
).DefinitionBody.components.schemas.IncidentRequest;

const definition = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'statemachine/plagiarism.asl.json'), 'utf8')) as {
  States: { ValidateIncident: { Choices: Array<{ Condition: string }> } };
};
const condition = definition.States.ValidateIncident.Choices[0].Condition;

/** The definition's check of one field: `$text($states.input.<field>, <min>, <max>, /<pattern>/)`. */
function checkOf(field: string): { minLength: number; maxLength: number; pattern: string } | undefined {
  const start = condition.indexOf(`$text($states.input.${field}, `);
  if (start < 0) return undefined;
  const match = /^\$text\(\$states\.input\.\w+, (\d+), (\d+), \/(.*?)\/\)(?: and |\)| %})/.exec(condition.slice(start));
  return match ? { minLength: Number(match[1]), maxLength: Number(match[2]), pattern: match[3] } : undefined;
}

test.each(Object.entries(model.properties))('%s: the definition checks the model pattern and lengths', (field, rule) => {
  const check = checkOf(field);
  expect(check?.pattern).toBe(rule.pattern);
  if (rule.minLength !== undefined) expect(check?.minLength).toBe(rule.minLength);
  if (rule.maxLength !== undefined) expect(check?.maxLength).toBe(rule.maxLength);
});

test('the IncidentId check allows exactly what an Idempotency-Key may be (an execution name)', () => {
  expect(checkOf('IncidentId')).toEqual({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9_-]+$' });
});
