import { isMapping } from '../template/aws-rules/template-values';
import type { Template } from '../template/load';
import { IntrinsicError, IntrinsicResolver } from '../template/intrinsics';
import { ApiDefinitionError, type RestApi } from './model';
import { nameMap } from './name-map';
import { importOpenApi } from './openapi-import';
import { type OpenApiDocument, samOpenApiDocuments } from './sam-openapi';

/**
 * Integration `credentials` are IAM role ARNs API Gateway assumes to call the service; locally nothing is
 * assumed, and SAM-generated roles are not in the template, so they are dropped before resolving.
 */
function dropCredentials(document: OpenApiDocument): void {
  for (const item of Object.values(document.paths)) {
    if (!isMapping(item)) continue;
    for (const operation of Object.values(item)) {
      const integration = isMapping(operation) ? operation['x-amazon-apigateway-integration'] : undefined;
      if (isMapping(integration)) delete integration.credentials;
    }
  }
}

/** The template's REST APIs as API Gateway would hold them after `sam deploy`, with local ARNs. */
export function loadRestApis(template: Template, region: string): RestApi[] {
  const resolver = new IntrinsicResolver(template, { region });
  return samOpenApiDocuments(template).map(({ logicalId, properties, document }) => {
    dropCredentials(document);
    try {
      const resolved = resolver.resolve(document);
      const stageName = resolver.resolve(properties.StageName ?? 'Prod');
      const variables = resolver.resolve(properties.Variables ?? {}) as Record<string, unknown>;
      return importOpenApi(resolved, {
        logicalId,
        stageName: String(stageName),
        // A name map: templates may look a variable up by a name from the request (`$stageVariables.get($name)`).
        stageVariables: nameMap(Object.entries(variables).map(([key, value]) => [key, String(value)] as const)),
      });
    } catch (error) {
      if (error instanceof IntrinsicError) throw new ApiDefinitionError(`${logicalId}: ${error.message}`);
      throw error;
    }
  });
}
