import { environmentVariableNames, serverlessFunctions, type ServerlessFunction } from '../template/functions';
import type { Template } from '../template/load';
import type { IntrinsicResolver } from '../template/intrinsics';

/** What the runner needs to know about one AWS::Serverless::Function of the template. */
export interface FunctionConfig {
  logicalId: string;
  /** The Handler property, e.g. `app.handler`. */
  handler: string;
  /** The handler's file without extension, relative to the function's bundle folder (`app`, `src/app`). */
  handlerFile: string;
  handlerExport: string;
  runtime: string;
  timeoutSeconds: number;
  memorySize: number;
  /** Tracing: Active (X-Ray samples every invocation not already decided by the caller). */
  tracing: boolean;
  /**
   * Environment.Variables with Globals applied (template/functions.ts), intrinsics resolved to local values; the
   * runner's environmentOverrides replace values.
   */
  environment: Record<string, string>;
}

/** A function the template does not define (or defines so that it cannot run locally). */
export class FunctionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionConfigError';
  }
}

// SAM's defaults when neither the function nor Globals set them.
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_SIZE = 128;

/**
 * Every AWS::Serverless::Function of the template with its local settings. A function whose settings cannot be
 * resolved locally maps to the error saying why, so that one broken function never stops the others from running.
 */
export function readFunctionConfigs(
  template: Template,
  resolver: IntrinsicResolver,
): Map<string, FunctionConfig | FunctionConfigError> {
  const configs = new Map<string, FunctionConfig | FunctionConfigError>();
  for (const fn of serverlessFunctions(template)) {
    if (fn.resource.Condition && !resolver.condition(fn.resource.Condition)) continue;
    try {
      configs.set(fn.logicalId, readFunctionConfig(fn, resolver));
    } catch (error) {
      const message = (error as Error).message;
      configs.set(
        fn.logicalId,
        error instanceof FunctionConfigError ? error : new FunctionConfigError(`${fn.logicalId}: ${message}`),
      );
    }
  }
  return configs;
}

function readFunctionConfig(
  { logicalId, properties }: ServerlessFunction,
  resolver: IntrinsicResolver,
): FunctionConfig {
  const setting = (name: string): unknown => resolver.resolve(properties[name]);

  const handler = setting('Handler');
  if (typeof handler !== 'string' || !/^.+\.[^./]+$/.test(handler)) {
    throw new FunctionConfigError(
      `${logicalId}: Handler must look like <file>.<export>, got ${JSON.stringify(handler)}`,
    );
  }
  const dot = handler.lastIndexOf('.');
  const timeoutSeconds = Number(setting('Timeout') ?? DEFAULT_TIMEOUT_SECONDS);
  const memorySize = Number(setting('MemorySize') ?? DEFAULT_MEMORY_SIZE);
  if (!(timeoutSeconds > 0) || !(memorySize > 0))
    throw new FunctionConfigError(`${logicalId}: Timeout and MemorySize must be positive numbers`);

  return {
    logicalId,
    handler,
    handlerFile: handler.slice(0, dot),
    handlerExport: handler.slice(dot + 1),
    runtime: String(setting('Runtime') ?? 'nodejs24.x'),
    timeoutSeconds,
    memorySize,
    tracing: setting('Tracing') === 'Active',
    environment: environmentVariables(logicalId, setting('Environment')),
  };
}

/**
 * The names of the environment variables each AWS::Serverless::Function declares (Globals' and its own), by logical
 * id: what SAM lets `sam local invoke --env-vars` set. Names only, so a function whose values cannot be resolved
 * locally still has them.
 */
export function declaredVariableNames(template: Template): Map<string, Set<string>> {
  return new Map(serverlessFunctions(template).map((fn) => [fn.logicalId, new Set(environmentVariableNames(fn))]));
}

function environmentVariables(logicalId: string, environment: unknown): Record<string, string> {
  const variables = (environment as { Variables?: unknown } | undefined)?.Variables;
  if (variables === undefined) return {};
  if (!variables || typeof variables !== 'object' || Array.isArray(variables)) {
    throw new FunctionConfigError(`${logicalId}: Environment.Variables must be a mapping`);
  }
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined) continue; // resolved to AWS::NoValue
    if (value !== null && typeof value === 'object') {
      throw new FunctionConfigError(
        `${logicalId}: environment variable ${name} resolved to ${JSON.stringify(value)}, not a string`,
      );
    }
    result[name] = String(value);
  }
  return result;
}
