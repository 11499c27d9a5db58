import type { Template } from '../load';
import { isMapping } from './template-values';

/**
 * The operations of the template's REST APIs as written (intrinsics unresolved), each with its API Gateway
 * integration: what API Gateway's import receives. SAM copies an AWS::Serverless::Api's DefinitionBody into the
 * AWS::ApiGateway::RestApi's Body; what SAM adds to it (Api events, Cors) is generated consistent, so the document
 * as written is what can be wrong.
 */

export interface RestApiOperation {
  apiId: string;
  /** The OpenAPI document the operation belongs to (for its `$ref`s). */
  document: Record<string, unknown>;
  path: string;
  /** GET, POST, ... or ANY. */
  method: string;
  operation: Record<string, unknown>;
  integration: Record<string, unknown>;
  /** `Resources.<ApiId>.Properties.<Body>.paths.<path>.<verb>`, for problems. */
  location: string;
}

const BODY_PROPERTY: Record<string, string> = {
  'AWS::Serverless::Api': 'DefinitionBody',
  'AWS::ApiGateway::RestApi': 'Body',
};
const ANY_METHOD = 'x-amazon-apigateway-any-method';
const INTEGRATION = 'x-amazon-apigateway-integration';

export function restApiOperations(template: Template): RestApiOperation[] {
  const operations: RestApiOperation[] = [];
  for (const [apiId, resource] of Object.entries(template.Resources)) {
    const bodyProperty = BODY_PROPERTY[resource?.Type];
    const document = bodyProperty ? resource.Properties?.[bodyProperty] : undefined;
    if (!isMapping(document) || !isMapping(document.paths)) continue;
    for (const [path, item] of Object.entries(document.paths)) {
      if (!isMapping(item)) continue;
      // Only operations carry an integration (a path item's `parameters` or `summary` do not).
      for (const [verb, operation] of Object.entries(item)) {
        if (!isMapping(operation) || !isMapping(operation[INTEGRATION])) continue;
        operations.push({
          apiId,
          document,
          path,
          method: verb === ANY_METHOD ? 'ANY' : verb.toUpperCase(),
          operation,
          integration: operation[INTEGRATION],
          location: `Resources.${apiId}.Properties.${bodyProperty}.paths.${path}.${verb}`,
        });
      }
    }
  }
  return operations;
}

/** A value, or the object a local `$ref` (`#/components/responses/X`) in it points to. */
export function dereference(document: Record<string, unknown>, value: unknown): unknown {
  if (!isMapping(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/')) return value;
  return value.$ref
    .slice(2)
    .split('/')
    .map((part: string) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (isMapping(node) ? node[part] : undefined), document);
}
