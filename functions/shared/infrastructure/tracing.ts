/**
 * The only module that knows how functions are traced. Today that is Powertools Tracer (built on
 * aws-xray-sdk-core, which is in maintenance); moving to OpenTelemetry later means rewriting this file only.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

const tracer = new Tracer();

/** Records every call an AWS SDK v3 client makes as a subsegment; returns the client itself. */
export function traced<Client>(client: Client): Client {
  return tracer.captureAWSv3Client(client);
}

/**
 * Middy middleware that opens a segment per invocation. Responses are not captured: they can carry guests'
 * and students' personal data.
 */
export function tracingMiddleware() {
  return captureLambdaHandler(tracer, { captureResponse: false });
}
