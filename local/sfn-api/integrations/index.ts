/**
 * The engine's `Integrations` for the local cloud: routes a Task's Resource to the integration that
 * serves it (Lambda through the runtime's LambdaInvoker, DynamoDB Local, the SES capture, this API).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Integrations, TaskOutcome, TaskRequest } from '@serverless-workflows/sfn-engine';
import type { LambdaInvoker } from '../../lambda-runner/index';
import { AwsSdkIntegration, type AwsSdkEndpoints } from './aws-sdk';
import { DynamoDbIntegration, isDynamoDbAction } from './dynamodb';
import { LambdaIntegration } from './lambda';
import { localSdkCallBounds, type SdkCallBounds } from './sdk-call-bounds';

export interface LocalIntegrationsOptions {
  lambda: LambdaInvoker;
  endpoints: AwsSdkEndpoints;
  region: string;
  now(): number;
  /** The X-Ray trace header an execution's Lambda tasks are invoked with (undefined: not traced). */
  traceHeaderOf?(executionArn: string): string | undefined;
  /** Time bounds of the DynamoDB and SES clients (default localSdkCallBounds; tests give shorter ones). */
  callBounds?: SdkCallBounds;
}

const functionArn = /^arn:aws:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/;
const serviceIntegration =
  /^arn:aws:states:::(?<service>[a-z0-9-]+(?::[a-z0-9-]+)?):(?<action>[A-Za-z0-9]+)(?<pattern>\.waitForTaskToken)?$/;

const unsupported = (resource: string): TaskOutcome => ({
  ok: false,
  error: 'States.Runtime',
  cause: `The resource '${resource}' is not supported by the local Step Functions runtime (supported: Lambda function ARNs, lambda:invoke, dynamodb:getItem|putItem|updateItem|deleteItem, aws-sdk:dynamodb|ses|sesv2|sfn:*, each optionally .waitForTaskToken where AWS allows it)`,
});

export class LocalIntegrations implements Integrations {
  private readonly lambda: LambdaIntegration;
  private readonly dynamodbClient: DynamoDBClient;
  private readonly dynamodb: DynamoDbIntegration;
  private readonly awsSdk: AwsSdkIntegration;
  private readonly traceHeaderOf: (executionArn: string) => string | undefined;

  constructor(options: LocalIntegrationsOptions) {
    this.traceHeaderOf = options.traceHeaderOf ?? (() => undefined);
    this.lambda = new LambdaIntegration(options.lambda, options.now);
    const callBounds = options.callBounds ?? localSdkCallBounds;
    this.dynamodbClient = new DynamoDBClient({
      ...callBounds,
      endpoint: options.endpoints.dynamodb,
      region: options.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    this.dynamodb = new DynamoDbIntegration(this.dynamodbClient, options.now);
    this.awsSdk = new AwsSdkIntegration(options.endpoints, options.region, callBounds);
  }

  invoke(request: TaskRequest): Promise<TaskOutcome> {
    const { resource, parameters } = request;
    if (functionArn.test(resource))
      return this.lambda.invokeFunctionArn(resource, parameters, this.traceHeaderOf(request.executionArn));
    const match = serviceIntegration.exec(resource);
    if (!match?.groups) return Promise.resolve(unsupported(resource));
    const { service, action, pattern } = match.groups;
    if (service === 'lambda' && action === 'invoke')
      return this.lambda.invoke(resource, parameters, this.traceHeaderOf(request.executionArn));
    if (service === 'dynamodb' && !pattern && isDynamoDbAction(action))
      return this.dynamodb.invoke(resource, action, parameters);
    if (service.startsWith('aws-sdk:')) {
      const sdkService = service.slice('aws-sdk:'.length);
      if (this.awsSdk.supports(sdkService)) return this.awsSdk.invoke(sdkService, action, parameters);
    }
    return Promise.resolve(unsupported(resource));
  }

  close(): void {
    this.dynamodbClient.destroy();
    this.awsSdk.close();
  }
}
