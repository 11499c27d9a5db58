import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateDefinition } from '../../src/validation/validate';

/** Every definition in engine/tests/conformance/cases was accepted by AWS, so none may be rejected here. */
describe('definitions AWS accepted', () => {
  const dir = path.resolve(__dirname, '../conformance/cases');
  const cases = readdirSync(dir).map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { id: string; definition: object });

  it('are all there', () => {
    expect(cases).toHaveLength(444);
  });

  it('are all valid, as objects and as text, for both types', () => {
    const rejected = cases
      .map((c) => ({ id: c.id, diagnostics: [...validateDefinition(c.definition), ...validateDefinition(JSON.stringify(c.definition), { type: 'EXPRESS' })] }))
      .filter((r) => r.diagnostics.length > 0);
    expect(rejected).toEqual([]);
  });
});

describe('our own state machines', () => {
  it.each(['call-centre.asl.json', 'plagiarism.asl.json'])('%s is valid once its substitutions are filled in', (file) => {
    const source = path.resolve(__dirname, '../../../statemachine', file);
    // A missing or unreadable file fails the test: these definitions exist, and a check that passes without
    // reading them proves nothing.
    const text = readFileSync(source, 'utf8');
    const filled = text
      .replace(/\$\{(\w+)FunctionArn\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1Function')
      .replace(/\$\{(\w+)\}/g, '$1');
    const type = file.startsWith('call-centre') ? 'EXPRESS' : 'STANDARD';
    expect(validateDefinition(filled, { type })).toEqual([]);
  });
});
