import { problem, type Problem } from '../../../scripts/lib/problems';
import type { Template } from '../load';
import { dereference, restApiOperations } from './rest-api-operations';
import { isMapping } from './template-values';

/**
 * API Gateway's import creates each integration response against a method response of the same status, and each
 * `method.response.header.<H>` it maps must be a parameter of that method response (declared under the OpenAPI
 * response's `headers`). Otherwise the import fails ("No method response exists for method", "Invalid mapping
 * expression parameter specified: method.response.header.<H>") and CloudFormation rolls the stack back.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_MethodResponse.html (responseParameters: the headers an
 * integration response may map)
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration-responseParameters.html
 *
 * Header names are compared exactly, case included: API Gateway keys a method response's parameters by the string
 * `method.response.header.<H>` (a string-to-boolean map) and looks the integration response's key up in it; it
 * documents no case folding there, so `access-control-allow-origin` does not match a declared
 * `Access-Control-Allow-Origin`. (Writing the same spelling in both places is the fix either way.)
 */

const HEADER_PARAMETER = 'method.response.header.';

export function checkMethodResponses(template: Template): Problem[] {
  const problems: Problem[] = [];
  for (const { document, operation, integration, location, method, path } of restApiOperations(template)) {
    if (!isMapping(integration.responses)) continue;
    const declared = isMapping(operation.responses) ? operation.responses : {};
    for (const [selection, response] of Object.entries(integration.responses)) {
      if (!isMapping(response) || response.statusCode === undefined) continue;
      const status = String(response.statusCode);
      const where = `${method} ${path}: integration response ${JSON.stringify(selection)}`;
      const methodResponse = dereference(document, declared[status]);
      if (!isMapping(methodResponse)) {
        problems.push(
          problem(
            'MethodResponseMissing',
            location,
            `${where} answers ${status}, which the operation's responses do not declare (API Gateway's import refuses it: "No method response exists for method")`,
          ),
        );
        continue;
      }
      const headers = isMapping(methodResponse.headers) ? Object.keys(methodResponse.headers) : [];
      for (const parameter of Object.keys(isMapping(response.responseParameters) ? response.responseParameters : {})) {
        if (!parameter.startsWith(HEADER_PARAMETER)) continue;
        const header = parameter.slice(HEADER_PARAMETER.length);
        if (headers.includes(header)) continue;
        problems.push(
          problem(
            'MethodResponseHeaderMissing',
            location,
            `${where} sets the header ${header}, which response ${status} does not declare in its headers (${headers.join(', ') || 'none'}); API Gateway's import refuses it: "Invalid mapping expression parameter specified: ${parameter}"`,
          ),
        );
      }
    }
  }
  return problems;
}
