import { nameMap } from '../name-map';
import { createInput, type RequestParams } from './input';
import { util } from './util';

/**
 * `$context` as mapping templates see it: the request context plus what templates may write
 * (`$context.responseOverride.status/.header.X`), shared by the request and the response template of one
 * request, as in API Gateway.
 */
export function templateContext(requestContext: Record<string, unknown>) {
  return {
    ...requestContext,
    responseOverride: { header: nameMap<unknown>() } as { status?: unknown; header: Record<string, unknown> },
  };
}

export type TemplateContext = ReturnType<typeof templateContext>;

/** The variables of one template evaluation: `$input` over `body`, `$context`, `$util`, `$stageVariables`. */
export function templateVariables(
  body: string,
  params: RequestParams,
  context: TemplateContext,
  stageVariables: Record<string, string>,
) {
  return { input: createInput(body, params), context, util, stageVariables };
}
