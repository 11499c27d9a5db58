/** Small state machines for the Step Functions API's tests. */
export const functionArn = (logicalId: string) => `arn:aws:lambda:us-east-1:123456789012:function:${logicalId}`;

export const passMachine = JSON.stringify({
  StartAt: 'Greet',
  States: { Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}', $.name)" }, End: true } },
});

export const failMachine = JSON.stringify({
  StartAt: 'Refuse',
  States: { Refuse: { Type: 'Fail', Error: 'RoomUnavailable', Cause: 'No room is free' } },
});

/** Waits for a task token: the function `Notify` receives it as `token`. */
export const callbackMachine = (options: { timeoutSeconds?: number; heartbeatSeconds?: number } = {}) =>
  JSON.stringify({
    StartAt: 'Wait for result',
    States: {
      'Wait for result': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: functionArn('Notify'), Payload: { 'token.$': '$$.Task.Token', 'input.$': '$' } },
        ...(options.timeoutSeconds ? { TimeoutSeconds: options.timeoutSeconds } : {}),
        ...(options.heartbeatSeconds ? { HeartbeatSeconds: options.heartbeatSeconds } : {}),
        End: true,
      },
    },
  });

export const waitMachine = (seconds: number) =>
  JSON.stringify({
    StartAt: 'Pause',
    States: {
      Pause: { Type: 'Wait', Seconds: seconds, Next: 'Done' },
      Done: { Type: 'Pass', Result: 'waited', End: true },
    },
  });

/** Calls this API's DescribeStateMachine through the `aws-sdk:sfn` integration (options: the task's ResultSelector). */
export const describeStateMachineCaller = (
  stateMachineArn: string,
  options: { resultSelector?: Record<string, string> } = {},
) =>
  JSON.stringify({
    StartAt: 'Describe',
    States: {
      Describe: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sfn:describeStateMachine',
        Parameters: { StateMachineArn: stateMachineArn },
        ...(options.resultSelector ? { ResultSelector: options.resultSelector } : {}),
        End: true,
      },
    },
  });
