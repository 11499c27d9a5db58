/**
 * aws-xray-sdk-core's Lambda set-up module ships without types (tracing.ts imports it): init() replaces the SDK's
 * context with Lambda's facade segment, which takes each invocation's trace header.
 */
declare module 'aws-xray-sdk-core/dist/lib/env/aws_lambda' {
  export function init(): void;
}
