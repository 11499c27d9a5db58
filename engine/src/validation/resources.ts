/**
 * Which Task Resource ARNs Step Functions recognizes: Lambda function ARNs, activity ARNs, the optimized
 * integrations `arn:aws:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]` (only the actions
 * AWS optimizes; e.g. dynamodb:query is rejected, recorded in docs/stepfunctions-local.md 2.2) and the AWS
 * SDK integrations `arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken]`.
 */
const R = ''; // request-response
const SYNC = '.sync';
const SYNC2 = '.sync:2';
const TOKEN = '.waitForTaskToken';

/** service:action → the integration patterns AWS offers (https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html). */
const OPTIMIZED: Readonly<Record<string, readonly string[]>> = {
  'lambda:invoke': [R, TOKEN],
  'dynamodb:getItem': [R],
  'dynamodb:putItem': [R],
  'dynamodb:updateItem': [R],
  'dynamodb:deleteItem': [R],
  'sns:publish': [R, TOKEN],
  'sqs:sendMessage': [R, TOKEN],
  'states:startExecution': [R, SYNC, SYNC2, TOKEN],
  'events:putEvents': [R, TOKEN],
  'apigateway:invoke': [R, TOKEN],
  'http:invoke': [R],
  'ecs:runTask': [R, SYNC, TOKEN],
  'batch:submitJob': [R, SYNC],
  'glue:startJobRun': [R, SYNC],
  'glue:startCrawler': [R],
  'athena:startQueryExecution': [R, SYNC],
  'athena:stopQueryExecution': [R],
  'athena:getQueryExecution': [R],
  'athena:getQueryResults': [R],
  'codebuild:startBuild': [R, SYNC],
  'codebuild:startBuildBatch': [R, SYNC],
  'codebuild:stopBuild': [R],
  'codebuild:batchDeleteBuilds': [R],
  'codebuild:batchGetReports': [R],
  'databrew:startJobRun': [R, SYNC],
  'mediaconvert:createJob': [R, SYNC],
  'bedrock:invokeModel': [R],
  'bedrock:createModelCustomizationJob': [R, SYNC],
  'sagemaker:createTrainingJob': [R, SYNC],
  'sagemaker:createTransformJob': [R, SYNC],
  'sagemaker:createProcessingJob': [R, SYNC],
  'sagemaker:createHyperParameterTuningJob': [R, SYNC],
  'sagemaker:createLabelingJob': [R, SYNC],
  'sagemaker:createModel': [R],
  'sagemaker:createEndpoint': [R],
  'sagemaker:createEndpointConfig': [R],
  'sagemaker:updateEndpoint': [R],
  'eks:runJob': [R, SYNC],
  'eks:call': [R],
  'eks:createCluster': [R, SYNC],
  'eks:deleteCluster': [R, SYNC],
  'eks:createNodegroup': [R, SYNC],
  'eks:deleteNodegroup': [R, SYNC],
  'eks:createFargateProfile': [R, SYNC],
  'eks:deleteFargateProfile': [R, SYNC],
  'elasticmapreduce:createCluster': [R, SYNC],
  'elasticmapreduce:terminateCluster': [R, SYNC],
  'elasticmapreduce:addStep': [R, SYNC],
  'elasticmapreduce:cancelStep': [R],
  'elasticmapreduce:setClusterTerminationProtection': [R],
  'elasticmapreduce:modifyInstanceFleetByName': [R],
  'elasticmapreduce:modifyInstanceGroupByName': [R],
  'emr-containers:startJobRun': [R, SYNC],
  'emr-containers:createVirtualCluster': [R],
  'emr-containers:deleteVirtualCluster': [R, SYNC],
  'emr-serverless:createApplication': [R, SYNC],
  'emr-serverless:startApplication': [R, SYNC],
  'emr-serverless:stopApplication': [R, SYNC],
  'emr-serverless:deleteApplication': [R, SYNC],
  'emr-serverless:startJobRun': [R, SYNC],
  'emr-serverless:cancelJobRun': [R, SYNC],
};

const OPTIMIZED_ARN = /^arn:aws(?:-cn|-us-gov)?:states:::([a-z0-9-]+:[A-Za-z0-9]+)(\.sync(?::2)?|\.waitForTaskToken)?$/;
const SDK_ARN = /^arn:aws(?:-cn|-us-gov)?:states:::aws-sdk:[a-z0-9-]+:[A-Za-z0-9]+(?:\.waitForTaskToken)?$/;
const LAMBDA_ARN =
  /^arn:aws(?:-cn|-us-gov)?:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9_$-]+)?$/;
const ACTIVITY_ARN = /^arn:aws(?:-cn|-us-gov)?:states:[a-z0-9-]+:\d{12}:activity:[A-Za-z0-9_.-]{1,80}$/;

export function isRecognizedResource(resource: string): boolean {
  if (SDK_ARN.test(resource) || LAMBDA_ARN.test(resource) || ACTIVITY_ARN.test(resource)) return true;
  const match = OPTIMIZED_ARN.exec(resource);
  return match !== null && (OPTIMIZED[match[1]!]?.includes(match[2] ?? R) ?? false);
}

/** The callback or job-run suffix of an integration ARN, which Express state machines cannot use. */
export function integrationPattern(resource: string): '.waitForTaskToken' | '.sync' | undefined {
  if (resource.endsWith(TOKEN)) return TOKEN;
  if (/\.sync(?::2)?$/.test(resource)) return SYNC;
  return undefined;
}
