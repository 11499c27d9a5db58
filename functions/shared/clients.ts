/**
 * AWS SDK clients, created once per container with the default configuration (region, credentials and
 * AWS_ENDPOINT_URL_<SERVICE> endpoints come from the environment). Each is marked pure so that esbuild drops
 * the clients, and their SDK packages, that a function does not use.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { traced } from './tracing';

export const dynamo = /* @__PURE__ */ DynamoDBDocumentClient.from(/* @__PURE__ */ traced(/* @__PURE__ */ new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});

export const ses = /* @__PURE__ */ traced(/* @__PURE__ */ new SESClient({}));

export const sfn = /* @__PURE__ */ traced(/* @__PURE__ */ new SFNClient({}));
