import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { header, mimeType, type ApiRequest } from './api-request';
import { ApiDefinitionError, type ApiMethod } from './model';
import { ownValue } from './name-map';

/**
 * API Gateway's request validators: required parameters (BAD_REQUEST_PARAMETERS, "Missing required request
 * parameters: [a, b]") and the body against the method's model for the request's content type
 * (BAD_REQUEST_BODY, "Invalid request body"). Models are JSON Schema draft-04, checked with ajv; the
 * `$context.error.validationErrorString` is written in the words of the validator API Gateway runs
 * (java-json-tools), which templates and clients may show, hence the translation of ajv's errors below.
 */

/** The content type of a request model that applies to every content type without a model of its own. */
const DEFAULT_MODEL = '$default';

export type ValidationFailure =
  | { kind: 'parameters'; message: string }
  /** `summary`: where the body breaks the model, without the values (for the log: a value may be a task token or megabytes). */
  | { kind: 'body'; validationErrorString: string; summary: string };

const jsonType = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

/** One java-json-tools sentence per ajv error (missing required properties of one object are grouped). */
function describe(errors: ErrorObject[]): string[] {
  const sentences: string[] = [];
  const missing = new Map<string, string[]>();
  for (const error of errors) {
    const p: Record<string, unknown> = error.params;
    const data = error.data;
    switch (error.keyword) {
      case 'required': {
        const list = missing.get(error.instancePath) ?? [];
        if (list.length === 0) {
          missing.set(error.instancePath, list);
          sentences.push(`\u0000required:${error.instancePath}`);
        }
        list.push(String(p.missingProperty));
        break;
      }
      case 'type':
        sentences.push(
          `instance type (${jsonType(data)}) does not match any allowed primitive type (allowed: ${JSON.stringify([p.type].flat())})`,
        );
        break;
      case 'enum':
        sentences.push(
          `instance value (${JSON.stringify(data)}) not found in enum (possible values: ${JSON.stringify(p.allowedValues)})`,
        );
        break;
      case 'pattern':
        sentences.push(`ECMA 262 regex "${p.pattern}" does not match input string ${JSON.stringify(data)}`);
        break;
      case 'minLength':
        sentences.push(
          `string ${JSON.stringify(data)} is too short (length: ${String(data).length}, required minimum: ${p.limit})`,
        );
        break;
      case 'maxLength':
        sentences.push(
          `string ${JSON.stringify(data)} is too long (length: ${String(data).length}, maximum allowed: ${p.limit})`,
        );
        break;
      case 'minimum':
        sentences.push(`numeric instance is lower than the required minimum (minimum: ${p.limit}, found: ${data})`);
        break;
      case 'maximum':
        sentences.push(`numeric instance is greater than the required maximum (maximum: ${p.limit}, found: ${data})`);
        break;
      case 'additionalProperties':
        sentences.push(
          `object instance has properties which are not allowed by the schema: ${JSON.stringify([p.additionalProperty])}`,
        );
        break;
      case 'format':
        sentences.push(`string ${JSON.stringify(data)} is invalid against requested format "${p.format}"`);
        break;
      case 'minItems':
        sentences.push(
          `array is too short: must have at least ${p.limit} elements but instance has ${Array.isArray(data) ? data.length : 0} elements`,
        );
        break;
      case 'maxItems':
        sentences.push(
          `array is too long: must have at most ${p.limit} elements but instance has ${Array.isArray(data) ? data.length : 0} elements`,
        );
        break;
      default:
        sentences.push(`${error.instancePath || 'instance'} ${error.message ?? 'is invalid'}`);
    }
  }
  return sentences.map((sentence) => {
    if (!sentence.startsWith('\u0000required:')) return sentence;
    const properties = missing.get(sentence.slice('\u0000required:'.length)) ?? [];
    return `object has missing required properties (${JSON.stringify(properties.sort())})`;
  });
}

export class RequestValidation {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  private readonly compiled = new WeakMap<ApiMethod, Map<string, ValidateFunction>>();

  constructor() {
    addFormats(this.ajv);
  }

  /** Compiles every body model of the method now, so a broken model stops the emulator at start. */
  prepare(method: ApiMethod): void {
    const byType = new Map<string, ValidateFunction>();
    for (const [type, schema] of Object.entries(method.requestModels)) {
      try {
        byType.set(type, this.ajv.compile(schema));
      } catch (error) {
        throw new ApiDefinitionError(
          `${method.api.logicalId} ${method.httpMethod} ${method.resourcePath}: model for ${type} is not a valid draft-04 schema: ${(error as Error).message}`,
        );
      }
    }
    this.compiled.set(method, byType);
  }

  validate(
    method: ApiMethod,
    request: ApiRequest,
    pathParameters: Record<string, string>,
  ): ValidationFailure | undefined {
    const validator = method.validator;
    if (!validator) return undefined;
    if (validator.parameters) {
      const { querystring, header: headers, path } = method.requiredParameters;
      const absent = [
        ...path.filter((name) => !ownValue(pathParameters, name)),
        ...querystring.filter((name) => ownValue(request.query, name) === undefined),
        ...headers.filter((name) => header(request.headers, name) === undefined),
      ];
      if (absent.length > 0)
        return { kind: 'parameters', message: `Missing required request parameters: [${absent.join(', ')}]` };
    }
    if (validator.body) {
      const type = mimeType(header(request.headers, 'content-type')) ?? 'application/json';
      if (!this.compiled.has(method)) this.prepare(method);
      // No model for the type: the `$default` one if there is one, else the body is not validated (API Gateway's rule).
      const models = this.compiled.get(method)!;
      const validate = models.get(type) ?? models.get(DEFAULT_MODEL);
      if (!validate) return undefined;
      const text = request.body.toString('utf8');
      let body: unknown;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch (error) {
        return {
          kind: 'body',
          validationErrorString: escapeForJson(`[Invalid JSON in request body: ${(error as Error).message}]`),
          summary: 'not JSON',
        };
      }
      if (!validate(body)) {
        const errors = validate.errors ?? [];
        const summary = [...new Set(errors.map((error) => `${error.instancePath || '/'} ${error.keyword}`))].join(', ');
        return { kind: 'body', validationErrorString: escapeForJson(`[${describe(errors).join(', ')}]`), summary };
      }
    }
    return undefined;
  }
}

/** API Gateway hands the string out JSON-escaped, ready to sit between quotes in a template. */
function escapeForJson(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
