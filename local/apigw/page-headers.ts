/**
 * The web pages' security headers, as CloudFront sends them in AWS: read from the template's
 * AWS::CloudFront::ResponseHeadersPolicy, so the pages run under the same Content-Security-Policy here as there
 * (a page that breaks under it breaks on this machine first). Only the CSP's connect-src differs: in AWS it names
 * API Gateway's domains, here the page's own origin and the local services the dashboards read.
 */
import type { Template } from '../template/load';

export type PageHeaders = Readonly<Record<string, string>>;

export class PageHeadersError extends Error {
  override name = 'PageHeadersError';
}

interface SecurityHeadersConfig {
  ContentSecurityPolicy?: { ContentSecurityPolicy?: unknown };
  StrictTransportSecurity?: { AccessControlMaxAgeSec?: unknown; IncludeSubdomains?: unknown; Preload?: unknown };
  ContentTypeOptions?: unknown;
  FrameOptions?: { FrameOption?: unknown };
  ReferrerPolicy?: { ReferrerPolicy?: unknown };
}

interface ResponseHeadersPolicyConfig {
  SecurityHeadersConfig?: SecurityHeadersConfig;
  CustomHeadersConfig?: { Items?: Array<{ Header?: unknown; Value?: unknown }> };
}

/**
 * The headers of the template's one ResponseHeadersPolicy, with connect-src set to `'self'` plus `connectOrigins`;
 * none when the template has no such policy (a template without CloudFront). A CSP that is no plain string or
 * `!Sub` string, or that still names a template value outside connect-src, is a PageHeadersError.
 */
export function pageHeadersFromTemplate(template: Template, connectOrigins: readonly string[]): PageHeaders {
  const policies = Object.entries(template.Resources ?? {}).filter(
    ([, resource]) => resource?.Type === 'AWS::CloudFront::ResponseHeadersPolicy',
  );
  if (policies.length === 0) return {};
  if (policies.length > 1) {
    throw new PageHeadersError(
      `the template has ${policies.length} ResponseHeadersPolicy resources (${policies.map(([id]) => id).join(', ')}); the pages can follow only one`,
    );
  }
  const [id, resource] = policies[0];
  const config = (resource.Properties?.ResponseHeadersPolicyConfig ?? {}) as ResponseHeadersPolicyConfig;
  const security = config.SecurityHeadersConfig ?? {};
  const headers: Record<string, string> = {};

  const csp = security.ContentSecurityPolicy?.ContentSecurityPolicy;
  if (csp !== undefined) headers['Content-Security-Policy'] = localCsp(id, csp, connectOrigins);
  const hsts = security.StrictTransportSecurity;
  if (hsts) {
    // Browsers ignore HSTS over plain http, so sending it here changes nothing but keeps the header set equal.
    headers['Strict-Transport-Security'] = [
      `max-age=${Number(hsts.AccessControlMaxAgeSec)}`,
      ...(hsts.IncludeSubdomains === true ? ['includeSubDomains'] : []),
      ...(hsts.Preload === true ? ['preload'] : []),
    ].join('; ');
  }
  if (security.ContentTypeOptions) headers['X-Content-Type-Options'] = 'nosniff';
  if (security.FrameOptions?.FrameOption !== undefined)
    headers['X-Frame-Options'] = String(security.FrameOptions.FrameOption);
  if (security.ReferrerPolicy?.ReferrerPolicy !== undefined)
    headers['Referrer-Policy'] = String(security.ReferrerPolicy.ReferrerPolicy);
  for (const item of config.CustomHeadersConfig?.Items ?? []) {
    if (typeof item.Header !== 'string' || typeof item.Value !== 'string') {
      throw new PageHeadersError(`${id}: every custom header needs a string Header and Value`);
    }
    headers[item.Header] = item.Value;
  }
  return headers;
}

/** The template's CSP with its connect-src replaced by this machine's origins. */
function localCsp(id: string, value: unknown, connectOrigins: readonly string[]): string {
  const text = typeof value === 'string' ? value : (value as { 'Fn::Sub'?: unknown } | null)?.['Fn::Sub'];
  if (typeof text !== 'string')
    throw new PageHeadersError(`${id}: the ContentSecurityPolicy must be a string or a !Sub of one`);
  const directives = text
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '')
    .map((directive) =>
      /^connect-src(\s|$)/i.test(directive) ? ['connect-src', "'self'", ...connectOrigins].join(' ') : directive,
    );
  const policy = directives.join('; ');
  const unresolved = /\$\{[^}]*\}/.exec(policy);
  if (unresolved)
    throw new PageHeadersError(
      `${id}: the ContentSecurityPolicy names ${unresolved[0]} outside connect-src, which has no local value`,
    );
  return policy;
}
