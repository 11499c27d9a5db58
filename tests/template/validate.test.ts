import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadTemplate, PROJECT_ROOT, type Template } from '../../local/template/load';
import type { Problem } from '../../scripts/lib/problems';
import { roomsHash } from '../../scripts/lib/rooms-hash';
import { validateProject, validateTemplate } from '../../scripts/lib/validate';

const run = promisify(execFile);
const errorsOf = (problems: Problem[]) => problems.filter((p) => p.severity !== 'warning');
const codes = (problems: Problem[]) => errorsOf(problems).map((p) => p.code);

let scratch: string;
let original: Template;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'validate-test-'));
  original = loadTemplate();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the real template with one thing broken, validated against the real project files. */
async function validateBroken(breakIt: (template: Template) => void): Promise<Problem[]> {
  const copy = structuredClone(original);
  breakIt(copy);
  return validateTemplate(copy, PROJECT_ROOT);
}

const resources = (template: Template) =>
  template.Resources as Record<string, { Type: string; Properties: any; Metadata: any }>;

describe('npm run validate', () => {
  test('the project template and both definitions pass every check', async () => {
    expect(errorsOf(await validateProject())).toEqual([]);
  });

  test('a placeholder the definition uses but DefinitionSubstitutions lacks is SubstitutionMissing', async () => {
    const problems = await validateBroken((t) => {
      delete resources(t).PlagiarismStateMachine.Properties.DefinitionSubstitutions.IncidentsTableName;
    });
    expect(codes(problems)).toEqual(['SubstitutionMissing']);
    expect(problems[0].location).toBe('Resources.PlagiarismStateMachine.DefinitionSubstitutions');
    expect(problems[0].message).toContain('${IncidentsTableName}');
  });

  test('a substitution the definition never uses is SubstitutionUnused', async () => {
    const problems = await validateBroken((t) => {
      resources(t).CallCentreStateMachine.Properties.DefinitionSubstitutions.GetRoomFunctionArn = 'x';
    });
    expect(codes(problems)).toEqual(['SubstitutionUnused']);
    expect(problems[0].message).toContain('GetRoomFunctionArn');
  });

  test('an entry point that does not exist is HandlerMissing, one that lacks the export is HandlerNotExported', async () => {
    const problems = await validateBroken((t) => {
      resources(t).ReserveRoomFunction.Metadata.BuildProperties.EntryPoints = ['functions/no-such-function/app.ts'];
      resources(t).GetIncidentFunction.Properties.Handler = 'app.main';
    });
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({
        code: 'HandlerMissing',
        location: 'Resources.ReserveRoomFunction',
        message: expect.stringContaining('functions/no-such-function/app.ts'),
      }),
      expect.objectContaining({
        code: 'HandlerNotExported',
        location: 'Resources.GetIncidentFunction',
        message: expect.stringContaining('"main"'),
      }),
    ]);
  });

  test('a Handler whose file is not the bundle built from EntryPoints is HandlerMismatch', async () => {
    const problems = await validateBroken((t) => {
      resources(t).GetIncidentFunction.Properties.Handler = 'index.handler';
    });
    expect(codes(problems)).toEqual(['HandlerMismatch']);
  });

  test("a SeedRooms RoomsHash that is not data/rooms.json's SHA-256 is RoomsHashStale (an edited file would deploy unseeded)", async () => {
    const problems = await validateBroken((t) => {
      resources(t).SeedRooms.Properties.RoomsHash = '0'.repeat(64);
    });
    expect(codes(problems)).toEqual(['RoomsHashStale']);
    expect(problems[0].location).toBe('Resources.SeedRooms.Properties.RoomsHash');
    expect(problems[0].message).toContain(roomsHash());
  });

  test('BuildProperties sam build does not know are BuildPropertiesInvalid', async () => {
    const problems = await validateBroken((t) => {
      resources(t).GetIncidentFunction.Metadata.BuildProperties.TreeShaking = true;
    });
    expect(codes(problems)).toEqual(['BuildPropertiesInvalid']);
    expect(problems[0].message).toContain('TreeShaking');
  });

  test('a broken definition is reported by asl-validator and by the cfn-lint ASL schema, located in its file', async () => {
    const definition = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'statemachine/call-centre.asl.json'), 'utf8'));
    definition.States.Reserve.Next = 'NoSuchState';
    definition.States.Cancel.Resultpath = '$.x';
    const file = path.join(scratch, 'broken.asl.json');
    writeFileSync(file, JSON.stringify(definition));
    const problems = await validateBroken((t) => {
      resources(t).CallCentreStateMachine.Properties.DefinitionUri = file;
    });
    // (plus EngineRejected from the engine's own validateDefinition, which may refuse it too)
    expect(codes(problems)).toEqual(expect.arrayContaining(['AslInvalid', 'AslSchemaViolation']));
    expect(codes(problems).every((code) => ['AslInvalid', 'AslSchemaViolation', 'EngineRejected'].includes(code))).toBe(
      true,
    );
    expect(problems.every((p) => p.location.startsWith(path.relative(PROJECT_ROOT, file)))).toBe(true);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/Resultpath/);
  });

  test('a definition that is not JSON, or not there, is DefinitionUnreadable', async () => {
    const file = path.join(scratch, 'not-json.asl.json');
    writeFileSync(file, '{ "StartAt": ');
    const problems = await validateBroken((t) => {
      resources(t).CallCentreStateMachine.Properties.DefinitionUri = file;
      resources(t).PlagiarismStateMachine.Properties.DefinitionUri = 'statemachine/missing.asl.json';
    });
    expect(codes(problems).sort()).toEqual(['DefinitionUnreadable', 'DefinitionUnreadable']);
  });

  test('an unknown SAM policy template is PolicyTemplateUnknown; a missing parameter is PolicyTemplateParameters', async () => {
    const problems = await validateBroken((t) => {
      resources(t).ListIncidentsFunction.Properties.Policies.push({ DynamoDBEverythingPolicy: { TableName: 'x' } });
      resources(t).GetIncidentFunction.Properties.Policies = [
        { DynamoDBReadPolicy: { Table: { Ref: 'IncidentsTable' } } },
      ];
    });
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({
        code: 'PolicyTemplateUnknown',
        location: 'Resources.ListIncidentsFunction.Properties.Policies[1]',
      }),
      expect.objectContaining({ code: 'PolicyTemplateParameters', message: 'DynamoDBReadPolicy needs TableName' }),
    ]);
  });

  test('a property the SAM schema does not allow is SchemaViolation, naming the property', async () => {
    const problems = await validateBroken((t) => {
      resources(t).GetIncidentFunction.Properties.Handlr = 'app.handler';
      resources(t).CallCentreStateMachine.Properties.Policies = 5;
    });
    expect(codes(problems)).toEqual(['SchemaViolation', 'SchemaViolation']);
    expect(problems[0]).toMatchObject({
      location: 'Resources.GetIncidentFunction',
      message: expect.stringContaining('"Handlr"'),
    });
    expect(problems[1]).toMatchObject({
      location: 'Resources.CallCentreStateMachine',
      message: '/Properties/Policies must be string or object or array',
    });
  });

  test('Ref, GetAtt, Sub and If naming nothing are reported where they are', async () => {
    const problems = await validateBroken((t) => {
      resources(t).GetIncidentFunction.Properties.Environment.Variables.INCIDENTS_TABLE = { Ref: 'IncidentTable' };
      resources(t).ScheduleExamFunction.Properties.Environment.Variables.X = { 'Fn::GetAtt': ['Nothing', 'Arn'] };
      resources(t).SubmitExamFunction.Properties.Description = {
        'Fn::Sub': '${Nowhere.Arn} in ${AWS::Region} ${!Literal}',
      };
      (t.Outputs as any).WebUrl.Value = { 'Fn::If': ['NoSuchCondition', 'a', 'b'] };
    });
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({
        code: 'ConditionMissing',
        location: 'Outputs.WebUrl.Value',
        message: expect.stringContaining('NoSuchCondition'),
      }),
      expect.objectContaining({
        code: 'GetAttTargetMissing',
        location: 'Resources.ScheduleExamFunction.Properties.Environment.Variables.X',
      }),
      expect.objectContaining({
        code: 'GetAttTargetMissing',
        location: 'Resources.SubmitExamFunction.Properties.Description',
        message: expect.stringContaining('${Nowhere.Arn}'),
      }),
      expect.objectContaining({
        code: 'RefTargetMissing',
        location: 'Resources.GetIncidentFunction.Properties.Environment.Variables.INCIDENTS_TABLE',
      }),
    ]);
  });

  test('a file the template includes (AWS::Include) that is missing is TemplateUnreadable naming it', async () => {
    const folder = mkdtempSync(path.join(scratch, 'include-'));
    writeFileSync(path.join(folder, 'template.yaml'), readFileSync(path.join(PROJECT_ROOT, 'template.yaml'), 'utf8'));
    symlinkSync(path.join(PROJECT_ROOT, 'api'), path.join(folder, 'api')); // monitoring/alarms.yaml is not there
    expect(await validateProject({ templateFile: path.join(folder, 'template.yaml') })).toEqual([
      expect.objectContaining({
        code: 'TemplateUnreadable',
        message: expect.stringMatching(
          /Resources: AWS::Include of monitoring\/alarms\.yaml: cannot read .*monitoring\/alarms\.yaml/,
        ),
      }),
    ]);
  });

  test('the CLI prints one line per problem and exits 1; an unreadable template is TemplateUnreadable', async () => {
    // A broken copy of template.yaml next to links to the real definitions, functions and included files (paths are
    // template-relative).
    for (const folder of ['statemachine', 'functions', 'data', 'api', 'monitoring'])
      symlinkSync(path.join(PROJECT_ROOT, folder), path.join(scratch, folder));
    const text = readFileSync(path.join(PROJECT_ROOT, 'template.yaml'), 'utf8')
      .replace('IncidentsTableName: !Ref IncidentsTable', '')
      .replace(
        '      Policies:\n        - Statement:\n            - Sid: ListIncidents',
        '      Policies:\n        - StepFunctionsCallPolicy: {}\n        - Statement:\n            - Sid: ListIncidents',
      );
    const broken = path.join(scratch, 'template.yaml');
    writeFileSync(broken, text);
    const tsx = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
    const failure = await run(tsx, [path.join(PROJECT_ROOT, 'scripts/validate.ts'), broken], {
      cwd: PROJECT_ROOT,
    }).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^PolicyTemplateUnknown Resources\.ListIncidentsFunction\.Properties\.Policies\[0\]: StepFunctionsCallPolicy/,
      ),
      expect.stringMatching(
        /^SubstitutionMissing Resources\.PlagiarismStateMachine\.DefinitionSubstitutions: \$\{IncidentsTableName\}/,
      ),
    ]);
    expect(failure.stdout).toContain('2 problems');

    writeFileSync(broken, 'Resources: [unclosed');
    expect(await validateProject({ templateFile: broken })).toEqual([
      expect.objectContaining({ code: 'TemplateUnreadable' }),
    ]);
  }, 30_000);
});
