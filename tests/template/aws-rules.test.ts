/**
 * What AWS refuses at deploy time (local/template/aws-rules/): each rule catches its defect in a broken copy of the
 * real template through `npm run validate`'s validateTemplate, and the local cloud refuses to start from the same
 * broken template (it throws before starting anything, so these tests start no process).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { startLocalCloud } from '../../local/cloud';
import { checkAwsRules, TemplateRefusedError } from '../../local/template/aws-rules';
import { checkNameLengths, MAX_STACK_NAME_LENGTH } from '../../local/template/aws-rules/name-lengths';
import { checkSyncIntegrationTimeouts } from '../../local/template/aws-rules/sync-integration-timeout';
import { loadTemplate, PROJECT_ROOT, type Template } from '../../local/template/load';
import type { Problem } from '../../scripts/lib/problems';
import { validateTemplate } from '../../scripts/lib/validate';

const errorsOf = (problems: Problem[]) => problems.filter((p) => p.severity !== 'warning');

let scratch: string;
let original: Template;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'aws-rules-test-'));
  original = loadTemplate();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const resources = (template: Template) => template.Resources as Record<string, { Type: string; Properties: any }>;
const operation = (template: Template, resourcePath: string, verb: string) =>
  resources(template).Api.Properties.DefinitionBody.paths[resourcePath][verb];

function brokenCopy(breakIt: (template: Template) => void): Template {
  const copy = structuredClone(original);
  breakIt(copy);
  return copy;
}

/** The errors validateTemplate (what `npm run validate` runs) reports for a broken copy, with the real project files. */
async function validationErrors(copy: Template): Promise<Problem[]> {
  return errorsOf(await validateTemplate(copy, PROJECT_ROOT));
}

/** Starts the local cloud from the broken copy written as a template file; resolves to what it threw. */
async function localCloudRefusal(copy: Template): Promise<unknown> {
  const folder = mkdtempSync(path.join(scratch, 'cloud-'));
  // The copy lives elsewhere: its definitions are read from the project (or wherever the test put them).
  for (const resource of Object.values(resources(copy))) {
    const uri = resource.Type === 'AWS::Serverless::StateMachine' ? resource.Properties.DefinitionUri : undefined;
    if (typeof uri === 'string') resource.Properties.DefinitionUri = path.resolve(PROJECT_ROOT, uri);
  }
  const templateFile = path.join(folder, 'template.yaml');
  writeFileSync(templateFile, stringify(copy));
  const ports = { api: 0, sfn: 0, dynamodb: 0, ses: 0, cognito: 0 };
  const started = await startLocalCloud({
    ports,
    templateFile,
    stateDir: path.join(folder, 'state'),
    persist: false,
  }).catch((error: unknown) => error);
  if (!(started instanceof Error)) await (started as { stop(): Promise<void> }).stop(); // it should not have started
  return started;
}

/** A copy of the call centre's definition with these fields (Retry, TimeoutSeconds) set on each Task, in the scratch folder. */
function callCentreWithTasks(fields: Record<string, unknown>): string {
  const definition = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'statemachine/call-centre.asl.json'), 'utf8'));
  for (const state of Object.values<any>(definition.States)) if (state.Type === 'Task') Object.assign(state, fields);
  const file = path.join(mkdtempSync(path.join(scratch, 'definition-')), 'call-centre.asl.json');
  writeFileSync(file, JSON.stringify(definition));
  return file;
}

const LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

test('the project template passes every rule', () => {
  expect(checkAwsRules(original, PROJECT_ROOT)).toEqual([]);
});

describe('API Gateway import: every integration response has its method response and declared headers', () => {
  // The defect a deploy rolled back on: POST /reservations' 500 set Access-Control-Allow-Origin without declaring it.
  const undeclaredHeader = () =>
    brokenCopy((t) => delete operation(t, '/reservations', 'post').responses['500'].headers);

  test('a mapped header the method response does not declare is MethodResponseHeaderMissing', async () => {
    expect(await validationErrors(undeclaredHeader())).toEqual([
      expect.objectContaining({
        code: 'MethodResponseHeaderMissing',
        location: 'Resources.Api.Properties.DefinitionBody.paths./reservations.post',
        message: expect.stringContaining(
          'Invalid mapping expression parameter specified: method.response.header.Access-Control-Allow-Origin',
        ),
      }),
    ]);
  });

  test('a status no method response declares is MethodResponseMissing', async () => {
    const copy = brokenCopy((t) => delete operation(t, '/reservations', 'post').responses['500']);
    expect(await validationErrors(copy)).toEqual([
      expect.objectContaining({
        code: 'MethodResponseMissing',
        message: expect.stringMatching(/POST \/reservations: .* answers 500/),
      }),
    ]);
  });

  test('header names are compared as API Gateway does, case included', () => {
    const copy = brokenCopy((t) => {
      const response = operation(t, '/reservations', 'post')['x-amazon-apigateway-integration'].responses.default;
      response.responseParameters = { 'method.response.header.access-control-allow-origin': "'*'" };
    });
    expect(checkAwsRules(copy, PROJECT_ROOT)).toEqual([
      expect.objectContaining({
        code: 'MethodResponseHeaderMissing',
        message: expect.stringContaining('access-control-allow-origin'),
      }),
    ]);
  });

  test('the local cloud refuses to start from it', async () => {
    const refusal = await localCloudRefusal(undeclaredHeader());
    expect(refusal).toBeInstanceOf(TemplateRefusedError);
    expect((refusal as Error).message).toMatch(
      /would be refused by AWS[\s\S]*MethodResponseHeaderMissing Resources\.Api/,
    );
  });
});

describe(`names built from the stack name fit their service's limit for a ${MAX_STACK_NAME_LENGTH}-character stack name`, () => {
  const longFunctionName = () =>
    brokenCopy((t) => {
      resources(t).TakeAdministrativeActionFunction.Properties.FunctionName = {
        'Fn::Sub': '${AWS::StackName}-TakeAdministrativeActionForIncidents',
      };
    });

  test(`TakeAdministrativeAction's function name fits at ${MAX_STACK_NAME_LENGTH} characters and not at 40`, () => {
    expect(checkNameLengths(original)).toEqual([]);
    expect(checkNameLengths(original, { maxStackNameLength: 40 })).toContainEqual(
      expect.objectContaining({
        code: 'NameTooLong',
        location: 'Resources.TakeAdministrativeActionFunction.Properties.FunctionName',
        message: expect.stringMatching(/65 characters; AWS::Serverless::Function allows 64/),
      }),
    );
  });

  test('a longer name is NameTooLong, rendered in the longest Region', async () => {
    expect(await validationErrors(longFunctionName())).toEqual([
      expect.objectContaining({
        code: 'NameTooLong',
        message: expect.stringMatching(
          /ap-southeast-2 it is "[^"]{32}-TakeAdministrativeActionForIncidents", 69 characters/,
        ),
      }),
    ]);
  });

  test('a parameter counts with its longest AllowedValues or its MaxLength, else the name is NameUnbounded', () => {
    const withSuffix = (parameter: Record<string, unknown>) =>
      brokenCopy((t) => {
        t.Parameters!.Suffix = { Type: 'String', ...parameter };
        resources(t).ReserveRoomLogGroup.Properties.LogGroupName = {
          'Fn::Sub': '/aws/lambda/${AWS::StackName}-${Suffix}',
        };
      });
    expect(checkAwsRules(withSuffix({}), PROJECT_ROOT)).toEqual([
      expect.objectContaining({ code: 'NameUnbounded', message: expect.stringContaining('parameter Suffix') }),
    ]);
    expect(checkAwsRules(withSuffix({ MaxLength: 400 }), PROJECT_ROOT)).toEqual([]);
    expect(checkAwsRules(withSuffix({ MaxLength: 500 }), PROJECT_ROOT)).toEqual([
      expect.objectContaining({ code: 'NameTooLong' }),
    ]);
    expect(checkAwsRules(withSuffix({ AllowedValues: ['a', 'x'.repeat(480)] }), PROJECT_ROOT)).toEqual([
      expect.objectContaining({ code: 'NameTooLong' }),
    ]);
  });

  test('a name with characters the service refuses is NameInvalid (a stack name may hold capitals, a bucket name not)', () => {
    const copy = brokenCopy((t) => {
      resources(t).WebBucket.Properties.BucketName = { 'Fn::Sub': '${AWS::StackName}-web' };
    });
    expect(checkAwsRules(copy, PROJECT_ROOT)).toEqual([
      expect.objectContaining({ code: 'NameInvalid', location: 'Resources.WebBucket.Properties.BucketName' }),
    ]);
  });

  test('the local cloud refuses to start from it', async () => {
    const refusal = await localCloudRefusal(longFunctionName());
    expect(refusal).toBeInstanceOf(TemplateRefusedError);
    expect((refusal as Error).message).toContain(
      'NameTooLong Resources.TakeAdministrativeActionFunction.Properties.FunctionName',
    );
  });
});

describe('CloudFront names, unique in the whole account, carry the Region', () => {
  const withoutRegion = () =>
    brokenCopy((t) => {
      resources(t).WebIndexFunction.Properties.Name = { 'Fn::Sub': '${AWS::StackName}-web-index' };
    });

  test('a CloudFront function named after the stack alone is GlobalNameWithoutRegion', async () => {
    expect(await validationErrors(withoutRegion())).toEqual([
      expect.objectContaining({
        code: 'GlobalNameWithoutRegion',
        location: 'Resources.WebIndexFunction.Properties.Name',
      }),
    ]);
  });

  test('so are the origin access control and the response headers policy; a Ref to the Region counts, a literal ${!AWS::Region} not', () => {
    const copy = brokenCopy((t) => {
      resources(t).WebOriginAccessControl.Properties.OriginAccessControlConfig.Name = {
        'Fn::Sub': '${AWS::StackName}-${!AWS::Region}-web',
      };
      resources(t).WebResponseHeadersPolicy.Properties.ResponseHeadersPolicyConfig.Name = {
        'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'headers']],
      };
      resources(t).WebIndexFunction.Properties.Name = {
        'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, { Ref: 'AWS::Region' }, 'index']],
      };
    });
    expect(checkAwsRules(copy, PROJECT_ROOT).map((p) => p.location)).toEqual([
      'Resources.WebOriginAccessControl.Properties.OriginAccessControlConfig.Name',
      'Resources.WebResponseHeadersPolicy.Properties.ResponseHeadersPolicyConfig.Name',
    ]);
  });

  test('the local cloud refuses to start from it', async () => {
    const refusal = await localCloudRefusal(withoutRegion());
    expect(refusal).toBeInstanceOf(TemplateRefusedError);
    expect((refusal as Error).message).toContain('GlobalNameWithoutRegion Resources.WebIndexFunction.Properties.Name');
  });
});

describe('roles API Gateway assumes trust it without aws:SourceAccount or aws:SourceArn, which it does not set', () => {
  const withSourceAccount = () =>
    brokenCopy((t) => {
      resources(t).ReservationsApiRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition = {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      };
    });

  test('an integration role whose trust needs aws:SourceAccount is ApiGatewayTrustCondition', async () => {
    expect(await validationErrors(withSourceAccount())).toEqual([
      expect.objectContaining({
        code: 'ApiGatewayTrustCondition',
        location: 'Resources.ReservationsApiRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition',
        message: expect.stringContaining('aws:SourceAccount'),
      }),
    ]);
  });

  test('keys are matched as IAM does, case-insensitively; a role for another service may use them', () => {
    const copy = brokenCopy((t) => {
      resources(t).ApiGatewayCloudWatchRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition = {
        ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:*' },
      };
      resources(t).OtherServiceRole = {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'states.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
              },
            ],
          },
        },
      };
    });
    expect(checkAwsRules(copy, PROJECT_ROOT).map((p) => p.location)).toEqual([
      'Resources.ApiGatewayCloudWatchRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition',
    ]);
  });

  test('the local cloud refuses to start from it', async () => {
    const refusal = await localCloudRefusal(withSourceAccount());
    expect(refusal).toBeInstanceOf(TemplateRefusedError);
    expect((refusal as Error).message).toContain('ApiGatewayTrustCondition Resources.ReservationsApiRole');
  });
});

describe("POST /reservations' synchronous execution ends within API Gateway's integration timeout", () => {
  // The defect the template had: 3 + 2 retries of a 10 s function, 6 attempts and 10 s of back-off: 70 s.
  const slowCallCentre = () =>
    brokenCopy((t) => {
      resources(t).ReserveRoomFunction.Properties.Timeout = 10;
      resources(t).CancelReservationFunction.Properties.Timeout = 10;
      resources(t).CallCentreStateMachine.Properties.DefinitionUri = callCentreWithTasks({
        Retry: [
          { ErrorEquals: LAMBDA_ERRORS, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 },
          { ErrorEquals: ['ServiceUnavailable'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 },
        ],
      });
    });
  /** The call centre with one retrier (and these fields) on both Tasks and this function Timeout, through the rule alone. */
  const worstCase = (retrier: Record<string, unknown>, timeout: number, { integration = {}, task = {} } = {}) =>
    checkSyncIntegrationTimeouts(
      brokenCopy((t) => {
        resources(t).ReserveRoomFunction.Properties.Timeout = timeout;
        resources(t).CancelReservationFunction.Properties.Timeout = timeout;
        resources(t).CallCentreStateMachine.Properties.DefinitionUri = callCentreWithTasks({
          Retry: [{ ErrorEquals: ['States.ALL'], ...retrier }],
          ...task,
        });
        Object.assign(operation(t, '/reservations', 'post')['x-amazon-apigateway-integration'], integration);
      }),
      PROJECT_ROOT,
    );

  test('retries of a 10 s function that add up to 70 s are SyncIntegrationTimeout', async () => {
    expect(await validationErrors(slowCallCentre())).toEqual([
      expect.objectContaining({
        code: 'SyncIntegrationTimeout',
        location: 'Resources.Api.Properties.DefinitionBody.paths./reservations.post',
        message: expect.stringMatching(
          /CallCentreStateMachine .*worst case is 70 s \((Reserve|Cancel): 6 attempts × 10 s \+ 10 s of back-off\): not under the integration's 29 s timeout/,
        ),
      }),
    ]);
  });

  test("a retrier's defaults are MaxAttempts 3, IntervalSeconds 1, BackoffRate 2; a Task's TimeoutSeconds caps the function's", () => {
    expect(worstCase({}, 5)).toEqual([]); // 4 × 5 s + 1 + 2 + 4 s = 27 s
    expect(worstCase({}, 6)).toEqual([expect.objectContaining({ message: expect.stringContaining('31 s') })]);
    expect(worstCase({}, 5, { integration: { timeoutInMillis: 27_000 } })).toEqual([
      expect.objectContaining({ message: expect.stringContaining('27 s (') }),
    ]); // not under: refused
    expect(worstCase({}, 10, { task: { TimeoutSeconds: 5 } })).toEqual([]);
  });

  test('MaxDelaySeconds caps each back-off', () => {
    const retrier = { IntervalSeconds: 2, MaxAttempts: 4, BackoffRate: 3 };
    expect(worstCase(retrier, 1)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('5 attempts × 1 s + 80 s of back-off') }),
    ]);
    expect(worstCase({ ...retrier, MaxDelaySeconds: 5 }, 1)).toEqual([]); // 5 × 1 s + 2 + 5 + 5 + 5 s = 22 s
  });

  test('the local cloud refuses to start from it', async () => {
    const refusal = await localCloudRefusal(slowCallCentre());
    expect(refusal).toBeInstanceOf(TemplateRefusedError);
    expect((refusal as Error).message).toContain(
      'SyncIntegrationTimeout Resources.Api.Properties.DefinitionBody.paths./reservations.post',
    );
  });
});
