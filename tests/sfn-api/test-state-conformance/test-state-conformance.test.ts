/**
 * TestState against AWS: every answer AWS gave in LocalStack's AWS-validated TestState recordings
 * (localstack/README.md) is asked again of our TestState and compared field by field. The figure is in README.md
 * ("Step Functions API"); the answers we give differently are listed here with the reason, so that a change in
 * either direction is seen: one more disagreement fails, and so does a listed one that starts to agree.
 */
import { compare, recordedAnswers } from './runner';

/** The recorded answers (of 198) whose requests cannot be made offline: they call a real AWS service. */
const NOT_RUN = [
  'TestStateCaseScenarios::test_base_lambda_service_task_state[DEBUG] > test_case_response',
  'TestStateCaseScenarios::test_base_lambda_service_task_state[INFO] > test_case_response',
  'TestStateCaseScenarios::test_base_lambda_service_task_state[TRACE] > test_case_response',
  'TestStateCaseScenarios::test_base_lambda_task_state[DEBUG] > test_case_response',
  'TestStateCaseScenarios::test_base_lambda_task_state[INFO] > test_case_response',
  'TestStateCaseScenarios::test_base_lambda_task_state[TRACE] > test_case_response',
  // botocore refused this one before it was sent (an empty stateName), so AWS never answered it.
  'TestStateMachineScenarios::test_base_state_name_validation_failures[empty] > exception',
];

/**
 * fieldValidationMode checks a mocked result against the service API's output shape, which we read from the AWS SDK
 * clients the project has (mock-result-shapes.ts). The SDK's schemas carry member types and required members, not
 * the model's enums, lengths and ranges; and the project has no EventBridge or KMS client.
 */
const DIFFERENT = [
  ...['Mode::test_strict_mode', 'ModePresent::test_present_mode'].flatMap((mode) => [
    `TestFieldValidation${mode}_aws_sdk_kms_task[wrong_blob_length_less_than_minimum] > validation-exception`,
    `TestFieldValidation${mode}_aws_sdk_kms_task[wrong_blob_type_number] > validation-exception`,
    `TestFieldValidation${mode}_aws_sdk_lambda_get_function_task[integer_less_than_minimum_allowed] > validation-exception`,
    `TestFieldValidation${mode}_aws_sdk_lambda_get_function_task[integer_more_than_maximum_allowed] > validation-exception`,
    `TestFieldValidation${mode}_aws_sdk_s3_task[non_existent_enum_value] > validation-exception`,
    `TestFieldValidation${mode}_eventbridge_task[wrong_type_2nd_array_element] > validation-exception`,
    `TestFieldValidation${mode}_eventbridge_task[wrong_type_nested_field] > validation-exception`,
    `TestFieldValidation${mode}_eventbridge_task[wrong_type_top_level_field] > validation-exception`,
  ]),
];

const shortId = (id: string) => id.slice(id.indexOf('::') + 2);

describe("TestState against AWS's recorded answers (LocalStack's AWS-validated test_state snapshots)", () => {
  const answers = recordedAnswers();

  test('198 recorded answers, of which 191 can be asked offline', () => {
    expect(answers).toHaveLength(198);
    const notRun = answers.filter((answer) => !answer.request).map((answer) => shortId(answer.id));
    expect(notRun.sort()).toEqual([...NOT_RUN].sort());
  });

  test('175 of the 191 agree; the 16 others are the listed fieldValidationMode checks', async () => {
    const comparisons = await Promise.all(answers.filter((answer) => answer.request).map(compare));
    const disagreeing = comparisons.filter((comparison) => !comparison.agrees);
    expect(disagreeing.map((comparison) => shortId(comparison.id)).sort()).toEqual([...DIFFERENT].sort());
    expect(comparisons.length - disagreeing.length).toBe(175);
  });
});
