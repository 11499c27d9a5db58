/**
 * AWS SDK clients, created once per container with the default configuration (region, credentials and
 * AWS_ENDPOINT_URL_<SERVICE> endpoints come from the environment), bounded in time and with one name for "the
 * service is not available right now". Each is marked pure so that esbuild drops the clients, and their SDK
 * packages, that a function does not use.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { HandlerExecutionContext, MiddlewareStack, SdkError } from '@smithy/types';
import { ServiceUnavailable } from './errors';
import { logger } from './logger';
import { traced } from './tracing';

/**
 * Every call is bounded: a service that does not accept the connection within 0.5 s or has not answered a request
 * within 1.5 s is given up on (throwOnRequestTimeout: without it the SDK only logs a warning and waits on), and
 * the SDK tries twice in all (its standard mode, with backoff). The worst case, ~4.1 s, stays inside the shortest
 * function Timeout (5 s, the call centre's: POST /reservations must answer within API Gateway's 29 s through the
 * state machine's retries), so a caller gets a named answer instead of Lambda's timeout. DynamoDB and SES answer
 * in milliseconds; the state machines retry the ServiceUnavailable these bounds end in.
 */
export const sdkCallBounds = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 500, requestTimeout: 1_500, throwOnRequestTimeout: true },
};

/**
 * What the SDK itself retries as throttling or transient (the same classification as its retry strategy:
 * throttling codes and 429, 500/502/503/504, timeouts, refused or reset connections, unreachable hosts) is, once
 * its attempts are used up, a ServiceUnavailable: the handlers answer 503 with it and the state machines retry it.
 * Every other error (a condition that failed, a validation error) goes through unchanged. Generic over the client's
 * own command input and output types: one middleware serves every client.
 */
export function namingUnavailability<Input extends object, Output extends object, Client>(
  client: Client & { middlewareStack: MiddlewareStack<Input, Output> },
): Client {
  client.middlewareStack.add(
    (next, context: HandlerExecutionContext) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        // Not `instanceof Error`: Node's own network errors may come from another realm (a test's VM context).
        const sdkError = error as SdkError;
        if (typeof error !== 'object' || error === null || !(isThrottlingError(sdkError) || isTransientError(sdkError)))
          throw error;
        const service = (context.clientName ?? 'AWS').replace(/Client$/, '');
        logger.warn(`${service} is not available`, { command: context.commandName, error });
        throw new ServiceUnavailable('The service is temporarily unavailable. Please try again in a moment.', {
          cause: error,
        });
      }
    },
    // Outermost (initialize, high): it sees the error after the SDK's retries, not each attempt's.
    { step: 'initialize', name: 'serviceUnavailable', priority: 'high' },
  );
  return client;
}

export const dynamo = /* @__PURE__ */ DynamoDBDocumentClient.from(
  /* @__PURE__ */ traced(/* @__PURE__ */ namingUnavailability(/* @__PURE__ */ new DynamoDBClient(sdkCallBounds))),
  { marshallOptions: { removeUndefinedValues: true } },
);

export const ses = /* @__PURE__ */ traced(
  /* @__PURE__ */ namingUnavailability(/* @__PURE__ */ new SESClient(sdkCallBounds)),
);

export const sfn = /* @__PURE__ */ traced(
  /* @__PURE__ */ namingUnavailability(/* @__PURE__ */ new SFNClient(sdkCallBounds)),
);
