import { problem, type Problem } from '../../../scripts/lib/problems';
import { IntrinsicError, IntrinsicResolver } from '../intrinsics';
import type { Template } from '../load';
import { propertyAt, referencedNames } from './template-values';

/**
 * Names the template builds from the stack name (`!Sub ${AWS::StackName}-ReserveRoom`) must fit each service's limit
 * for every stack name the README allows, in every Region: otherwise the deploy of a longer stack name, or in a
 * Region with a longer code, fails half-way and rolls back. Each name is rendered with a stack name of the longest
 * allowed length in the longest Region code and compared with the service's limit and characters.
 */

/** The longest stack name the project supports (the README says so). */
export const MAX_STACK_NAME_LENGTH = 32;

/**
 * A Region code of the longest length, 14 characters: ap-southeast-1 … 7, ap-northeast-1 … 3 and cn-northwest-1 are
 * the longest codes of the commercial, China and GovCloud partitions (AWS Regions list,
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html, and botocore 1.43's
 * endpoints.json). Only the air-gapped ISO-F partition has longer ones (us-isof-south-1, 15), which CloudFront, used
 * by this stack, does not serve.
 */
export const LONGEST_REGION = 'ap-southeast-2';

/**
 * A stack name of `length` characters that holds every kind of character a stack name may ([A-Za-z][-A-Za-z0-9]*,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html), so that a service that
 * refuses some of them (an S3 bucket name refuses capitals) is caught too.
 */
export function longestStackName(length: number = MAX_STACK_NAME_LENGTH): string {
  return 'Aa0-'.repeat(Math.ceil(length / 4)).slice(0, length);
}

interface NameLimit {
  type: string;
  property: readonly string[];
  maxLength: number;
  /** The characters the service accepts, where it documents them. */
  characters?: RegExp;
  source: string;
}

// Left out, as AWS documents no length for them: API Gateway REST API names (AWS::Serverless::Api /
// AWS::ApiGateway::RestApi Name), usage plan names, and CloudFront response headers policy names.
const LAMBDA = {
  maxLength: 64,
  characters: /^[A-Za-z0-9_-]+$/,
  source:
    'https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (FunctionName: "limited to 64 characters")',
};
const STATE_MACHINE = {
  maxLength: 80,
  source: 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html (name: 1 to 80)',
};
const DYNAMODB_TABLE = {
  maxLength: 255,
  characters: /^[A-Za-z0-9_.-]{3,}$/,
  source:
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html (3 to 255 of a-z A-Z 0-9 _ - .)',
};
const NAME_LIMITS: NameLimit[] = [
  { type: 'AWS::Lambda::Function', property: ['FunctionName'], ...LAMBDA },
  { type: 'AWS::Serverless::Function', property: ['FunctionName'], ...LAMBDA },
  {
    type: 'AWS::IAM::Role',
    property: ['RoleName'],
    maxLength: 64,
    characters: /^[\w+=,.@-]+$/,
    source:
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName: 1 to 64 of [\\w+=,.@-])',
  },
  {
    type: 'AWS::IAM::ManagedPolicy',
    property: ['ManagedPolicyName'],
    maxLength: 128,
    characters: /^[\w+=,.@-]+$/,
    source:
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html (PolicyName: 1 to 128 of [\\w+=,.@-])',
  },
  {
    type: 'AWS::Logs::LogGroup',
    property: ['LogGroupName'],
    maxLength: 512,
    characters: /^[.\-_/#A-Za-z0-9]+$/,
    source:
      'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupName: 1 to 512 of [.\\-_/#A-Za-z0-9])',
  },
  {
    type: 'AWS::CloudFront::Function',
    property: ['Name'],
    maxLength: 64,
    characters: /^[A-Za-z0-9_-]+$/,
    source:
      'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateFunction.html (Name: [a-zA-Z0-9-_]{1,64})',
  },
  {
    type: 'AWS::CloudFront::OriginAccessControl',
    property: ['OriginAccessControlConfig', 'Name'],
    maxLength: 64,
    source:
      'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html (Name: "up to 64 characters")',
  },
  {
    type: 'AWS::ApiGateway::ApiKey',
    property: ['Name'],
    maxLength: 1024,
    source:
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html ("The name cannot exceed 1024 characters")',
  },
  {
    type: 'AWS::SNS::Topic',
    property: ['TopicName'],
    maxLength: 256,
    characters: /^[A-Za-z0-9_-]+(\.fifo)?$/,
    source:
      'https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name: 1 to 256 of letters, digits, _ and -)',
  },
  {
    type: 'AWS::CloudWatch::Alarm',
    property: ['AlarmName'],
    maxLength: 255,
    source:
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (AlarmName: 1 to 255)',
  },
  { type: 'AWS::StepFunctions::StateMachine', property: ['StateMachineName'], ...STATE_MACHINE },
  { type: 'AWS::Serverless::StateMachine', property: ['Name'], ...STATE_MACHINE },
  { type: 'AWS::DynamoDB::Table', property: ['TableName'], ...DYNAMODB_TABLE },
  { type: 'AWS::Serverless::SimpleTable', property: ['TableName'], ...DYNAMODB_TABLE },
  {
    type: 'AWS::S3::Bucket',
    property: ['BucketName'],
    maxLength: 63,
    characters: /^[a-z0-9][a-z0-9.-]+[a-z0-9]$/,
    source:
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (3 to 63 of lower-case letters, digits, . and -)',
  },
];

/** Pseudo parameters whose longest value is known: the stack name and Region rendered, the 12-digit account id. */
const BOUNDED_PSEUDO_PARAMETERS = new Set(['AWS::StackName', 'AWS::Region', 'AWS::AccountId', 'AWS::NoValue']);

/** A parameter's longest value: its longest AllowedValues, else MaxLength characters; undefined when unbounded. */
function longestParameterValue(template: Template, name: string): string | undefined {
  const parameter = template.Parameters?.[name];
  if (!parameter) return undefined;
  if (Array.isArray(parameter.AllowedValues) && parameter.AllowedValues.length > 0) {
    return parameter.AllowedValues.map(String).reduce((a, b) => (b.length > a.length ? b : a));
  }
  const maxLength = Number(parameter.MaxLength);
  return Number.isInteger(maxLength) && maxLength > 0 ? 'a'.repeat(maxLength) : undefined;
}

export interface NameLengthOptions {
  /** The longest stack name to check for (MAX_STACK_NAME_LENGTH unless told). */
  maxStackNameLength?: number;
}

export function checkNameLengths(template: Template, options: NameLengthOptions = {}): Problem[] {
  const stackName = longestStackName(options.maxStackNameLength ?? MAX_STACK_NAME_LENGTH);
  const problems: Problem[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    for (const limit of NAME_LIMITS.filter((candidate) => candidate.type === resource?.Type)) {
      const value = propertyAt(resource.Properties, limit.property);
      if (value === undefined) continue; // CloudFormation generates a name that fits
      const location = `Resources.${logicalId}.Properties.${limit.property.join('.')}`;
      const parameterOverrides: Record<string, string> = {};
      const unbounded: string[] = [];
      for (const name of referencedNames(value)) {
        if (BOUNDED_PSEUDO_PARAMETERS.has(name)) continue;
        const longest = longestParameterValue(template, name);
        if (longest !== undefined) parameterOverrides[name] = longest;
        else
          unbounded.push(
            template.Parameters?.[name] ? `parameter ${name} (it has neither MaxLength nor AllowedValues)` : name,
          );
      }
      if (unbounded.length > 0) {
        problems.push(
          problem(
            'NameUnbounded',
            location,
            `the name's length cannot be bounded: it uses ${unbounded.join(', ')}; the limit is ${limit.maxLength} (${limit.source})`,
          ),
        );
        continue;
      }
      let name: unknown;
      try {
        name = new IntrinsicResolver(template, { region: LONGEST_REGION, stackName, parameterOverrides }).resolve(
          value,
        );
      } catch (error) {
        if (!(error instanceof IntrinsicError)) throw error;
        problems.push(problem('NameUnbounded', location, `the name cannot be rendered: ${error.message}`));
        continue;
      }
      if (typeof name !== 'string' && typeof name !== 'number') continue;
      const text = String(name);
      const rendered = `with a ${stackName.length}-character stack name in ${LONGEST_REGION} it is "${text}"`;
      if (text.length > limit.maxLength) {
        problems.push(
          problem(
            'NameTooLong',
            location,
            `${rendered}, ${text.length} characters; ${resource.Type} allows ${limit.maxLength} (${limit.source})`,
          ),
        );
      } else if (limit.characters && !limit.characters.test(text)) {
        problems.push(
          problem(
            'NameInvalid',
            location,
            `${rendered}, which has characters ${resource.Type} refuses (${limit.source})`,
          ),
        );
      }
    }
  }
  return problems;
}
