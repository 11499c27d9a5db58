/**
 * Answers lost after the function ran. POST <sfn>/_local/faults fails an Invoke before the function's code runs
 * (local/lambda-runner/faults.ts), which cannot show what happens when the code did its work and only its answer
 * was lost (Lambda's own transient error after the run, a dropped connection). This starts a second Step Functions
 * API and API Gateway in the test process, on the fault cloud's DynamoDB Local, SES capture and Lambda runner and
 * with the template's state machines, whose Lambda tasks go through an invoker that runs the function for real and
 * then, for the next `count` invocations of `function`, reports Lambda.ServiceException in place of its answer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApiGateway } from '../../../local/apigw/server';
import type { LocalCloud } from '../../../local/cloud';
import { LambdaServiceError, type LambdaInvokeResult, type LambdaInvoker } from '../../../local/lambda-runner/index';
import { deployStateMachines, sfnClient, stateMachineDefinitions } from '../../../local/services/state-machines';
import { startSfnApiServer } from '../../../local/sfn-api/server';
import { IntrinsicResolver } from '../../../local/template/intrinsics';
import { PROJECT_ROOT } from '../../../local/template/load';
import { ApiClient } from '../../system/support/http';

class AnswerLosingInvoker implements LambdaInvoker {
  /** Invocations of the function that ran and whose answer was then lost. */
  lost = 0;

  constructor(
    private readonly real: LambdaInvoker,
    private readonly functionArnSuffix: string,
    private remaining: number,
  ) {}

  async invoke(functionName: string, event: unknown, options?: { traceHeader?: string }): Promise<LambdaInvokeResult> {
    const result = await this.real.invoke(functionName, event, options);
    if (this.remaining > 0 && functionName.endsWith(this.functionArnSuffix)) {
      this.remaining -= 1;
      this.lost += 1;
      throw new LambdaServiceError('ServiceException', 'The Lambda service encountered an internal error.', 500);
    }
    return result;
  }
}

export interface AnswerLosingFrontEnd {
  api: ApiClient;
  sfnUrl: string;
  invoker: AnswerLosingInvoker;
  close(): Promise<void>;
}

export async function startAnswerLosingFrontEnd(cloud: LocalCloud, fault: { function: string; count: number }): Promise<AnswerLosingFrontEnd> {
  const dir = await mkdtemp(path.join(tmpdir(), 'answer-losing-'));
  const invoker = new AnswerLosingInvoker(cloud.lambda, `:function:${fault.function}`, fault.count);
  const closers: Array<() => Promise<void>> = [() => rm(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    const sfnApi = await startSfnApiServer({
      port: 0,
      region: cloud.region,
      dataDir: path.join(dir, 'sfn'),
      lambda: invoker,
      endpoints: { dynamodb: cloud.urls.dynamodb, ses: cloud.urls.ses },
      warn: () => undefined,
    });
    closers.push(() => sfnApi.close());
    const sfn = sfnClient(sfnApi.url, cloud.region);
    try {
      const resolver = new IntrinsicResolver(cloud.template, { region: cloud.region });
      await deployStateMachines(sfn, stateMachineDefinitions(cloud.template, resolver, PROJECT_ROOT));
    } finally {
      sfn.destroy();
    }
    const gateway = await startApiGateway({
      port: 0,
      template: cloud.template,
      lambda: cloud.lambda,
      sfnEndpoint: sfnApi.url,
      apiKey: cloud.apiKey,
      webRoot: path.join(dir, 'web'),
      region: cloud.region,
      log: () => undefined,
    });
    closers.push(() => gateway.close());
    return { api: new ApiClient(gateway.url, cloud.apiKey), sfnUrl: sfnApi.url, invoker, close };
  } catch (error) {
    await close();
    throw error;
  }
}
