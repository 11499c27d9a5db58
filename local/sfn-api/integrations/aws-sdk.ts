/**
 * AWS SDK service integrations `arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken]`
 * (docs/stepfunctions-local.md §6.4) for the services the local cloud has: dynamodb, ses, sesv2 (the SES
 * capture) and sfn (this API itself), sent with the AWS SDK v3 clients.
 * - The action is camelCase (`sendEmail`) and names the SDK command (`SendEmailCommand`).
 * - Parameters are PascalCase even where the service API is camelCase (sfn): those are converted both ways.
 * - The result is the API response only: no SdkHttpMetadata (unlike the optimized integrations).
 * - Errors are `<ServicePascal>.<Name>Exception` (Java SDK v2 naming), generic `<ServicePascal>.<ServicePascal>Exception`.
 */
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as ses from '@aws-sdk/client-ses';
import * as sesv2 from '@aws-sdk/client-sesv2';
import * as sfn from '@aws-sdk/client-sfn';
import type { TaskOutcome } from '@serverless-workflows/sfn-engine';
import { type ErrorClass, modeledErrorsOf, sdkIntegrationFailure } from './sdk-errors';
import type { SdkCallBounds } from './sdk-call-bounds';

interface SdkClient {
  send(command: unknown): Promise<Record<string, unknown>>;
  destroy(): void;
}

interface ServiceBinding {
  module: object;
  /** the Java SDK v2 client name, which Step Functions uses as the error prefix */
  errorPrefix: string;
  baseException: ErrorClass;
  /** the service's API uses camelCase members (Step Functions' SDK integration always uses PascalCase) */
  camelCaseApi: boolean;
  createClient(): SdkClient;
}

export interface AwsSdkEndpoints {
  dynamodb: string;
  ses: string;
  /** this Step Functions API itself (known once the server listens) */
  sfn(): string;
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [rename(key), renameKeys(item, rename)]));
}

/** SDK v3 values that are not JSON (Dates, byte arrays) as Step Functions serializes them: ISO text, base64. */
function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJson(item)]));
}

export class AwsSdkIntegration {
  private readonly services: Record<string, ServiceBinding>;
  private readonly clients = new Map<string, SdkClient>();

  constructor(endpoints: AwsSdkEndpoints, region: string, callBounds: SdkCallBounds) {
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    // The local services' clients are bounded in time (a hung service fails the task, named, instead of blocking
    // it); the sfn client is not: it calls this very server.
    this.services = {
      dynamodb: {
        module: dynamodb,
        errorPrefix: 'DynamoDb',
        baseException: dynamodb.DynamoDBServiceException,
        camelCaseApi: false,
        createClient: () =>
          new dynamodb.DynamoDBClient({
            ...callBounds,
            endpoint: endpoints.dynamodb,
            region,
            credentials,
          }) as SdkClient,
      },
      ses: {
        module: ses,
        errorPrefix: 'Ses',
        baseException: ses.SESServiceException,
        camelCaseApi: false,
        createClient: () =>
          new ses.SESClient({ ...callBounds, endpoint: endpoints.ses, region, credentials }) as SdkClient,
      },
      sesv2: {
        module: sesv2,
        errorPrefix: 'SesV2',
        baseException: sesv2.SESv2ServiceException,
        camelCaseApi: false,
        createClient: () =>
          new sesv2.SESv2Client({ ...callBounds, endpoint: endpoints.ses, region, credentials }) as SdkClient,
      },
      sfn: {
        module: sfn,
        errorPrefix: 'Sfn',
        baseException: sfn.SFNServiceException,
        camelCaseApi: true,
        createClient: () =>
          new sfn.SFNClient({ endpoint: endpoints.sfn(), region, credentials, disableHostPrefix: true }) as SdkClient,
      },
    };
  }

  supports(service: string): boolean {
    return Object.hasOwn(this.services, service);
  }

  async invoke(service: string, action: string, parameters: unknown): Promise<TaskOutcome> {
    const binding = this.services[service];
    const Command = (binding.module as Record<string, unknown>)[`${pascal(action)}Command`] as
      | (new (
          input: unknown,
        ) => unknown)
      | undefined;
    if (action !== camel(action) || typeof Command !== 'function') {
      return {
        ok: false,
        error: 'States.Runtime',
        cause: `The action '${action}' is not an API action of the service '${service}' (aws-sdk:${service}:${action})`,
      };
    }
    const input = binding.camelCaseApi ? renameKeys(parameters ?? {}, camel) : (parameters ?? {});
    let response: Record<string, unknown>;
    try {
      response = await this.clientOf(service).send(new Command(input));
    } catch (error) {
      return sdkIntegrationFailure(error, {
        prefix: binding.errorPrefix,
        isModeled: modeledErrorsOf(binding.module, binding.baseException),
      });
    }
    const { $metadata: _metadata, ...result } = response;
    return { ok: true, output: toJson(binding.camelCaseApi ? renameKeys(result, pascal) : result) };
  }

  close(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private clientOf(service: string): SdkClient {
    let client = this.clients.get(service);
    if (!client) {
      client = this.services[service].createClient();
      this.clients.set(service, client);
    }
    return client;
  }
}
