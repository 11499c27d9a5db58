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
  loadTemplate().Resources.Api.Properties as {
    DefinitionBody: { components: { schemas: Record<string, { properties: Record<string, FieldRule> }> } };
  }
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

test('the model has the five fields of POST /incident, each with a pattern', () => {
  expect(Object.keys(model.properties).sort()).toEqual([
    'Description',
    'IncidentDate',
    'StudentEmail',
    'StudentId',
    'StudentName',
  ]);
  for (const rule of Object.values(model.properties)) expect(rule.pattern).toEqual(expect.any(String));
});

test.each(Object.entries(model.properties))(
  '%s: the definition checks the model pattern and lengths',
  (field, rule) => {
    const check = checkOf(field);
    expect(check?.pattern).toBe(rule.pattern);
    // A bound the model leaves to its pattern (an email's or a date's length) still has one in the definition.
    expect(check).toEqual({
      pattern: rule.pattern,
      minLength: rule.minLength ?? expect.any(Number),
      maxLength: rule.maxLength ?? expect.any(Number),
    });
  },
);

test('the IncidentId check allows exactly what an Idempotency-Key may be (an execution name)', () => {
  expect(checkOf('IncidentId')).toEqual({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9_-]+$' });
});
