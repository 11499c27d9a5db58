/**
 * The pages' security headers (docs/security.md, section 4): CloudFront's ResponseHeadersPolicy in template.yaml, the
 * same headers from the local API Gateway on every page file, pages that need nothing the CSP refuses, and a request
 * log that never prints a Testing Centre link's task token.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pageHeadersFromTemplate, PageHeadersError } from '../../local/apigw/page-headers';
import { loggableTarget } from '../../local/apigw/request-log';
import { startApiGateway, type ApiGatewayServer } from '../../local/apigw/server';
import { loadTemplate, PROJECT_ROOT, type Template } from '../../local/template/load';
import { FakeLambda, FakeStepFunctions } from '../apigw/fakes';
import { eventually } from '../support/eventually';
import { stubWebRoot } from './support/stub-web-root';

const template = loadTemplate();
const policy = template.Resources.WebResponseHeadersPolicy.Properties!.ResponseHeadersPolicyConfig as any;
const cspDirectives = (csp: string) =>
  csp
    .split(';')
    .map((directive) => directive.trim())
    .filter(Boolean);
const templateCsp: string = policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Sub'];

const expectedLocalHeaders = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' http://localhost:8083 http://localhost:8005; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

describe('CloudFront: WebResponseHeadersPolicy', () => {
  test('is the distribution’s response headers policy (not the managed one, which has no CSP)', () => {
    const behavior = (template.Resources.WebDistribution.Properties as any).DistributionConfig.DefaultCacheBehavior;
    expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: 'WebResponseHeadersPolicy' });
  });

  test('overrides whatever the origin sends, for every header it sets', () => {
    const security = policy.SecurityHeadersConfig;
    for (const header of [
      'ContentSecurityPolicy',
      'StrictTransportSecurity',
      'ContentTypeOptions',
      'FrameOptions',
      'ReferrerPolicy',
    ]) {
      expect({ header, override: security[header].Override }).toEqual({ header, override: true });
    }
    // The one custom header, Permissions-Policy (so the every() below is not over none).
    expect(policy.CustomHeadersConfig.Items.map((item: { Header: string }) => item.Header)).toEqual([
      'Permissions-Policy',
    ]);
    expect(policy.CustomHeadersConfig.Items.every((item: { Override: boolean }) => item.Override)).toBe(true);
  });

  test('lets the pages call API Gateway and Cognito (sign-in) of the stack’s region only, and nothing loads or frames from elsewhere', () => {
    expect(cspDirectives(templateCsp)).toContain(
      "connect-src 'self' https://*.execute-api.${AWS::Region}.${AWS::URLSuffix} https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}",
    );
    expect(templateCsp).not.toMatch(/unsafe-inline|unsafe-eval|\*(?!\.execute-api)/);
  });
});

describe('pageHeadersFromTemplate', () => {
  test('gives the template’s headers, with connect-src naming this machine’s services', () => {
    const headers = pageHeadersFromTemplate(template, ['http://localhost:8083', 'http://localhost:8005']);
    expect(headers).toEqual(expectedLocalHeaders);
    const notConnect = (csp: string) => cspDirectives(csp).filter((directive) => !directive.startsWith('connect-src'));
    expect(notConnect(headers['Content-Security-Policy'])).toEqual(notConnect(templateCsp));
  });

  test('gives none for a template without CloudFront, and refuses a CSP it cannot reproduce', () => {
    expect(pageHeadersFromTemplate({ Resources: {} } as Template, [])).toEqual({});
    const withCsp = (csp: unknown): Template =>
      ({
        Resources: {
          Headers: {
            Type: 'AWS::CloudFront::ResponseHeadersPolicy',
            Properties: {
              ResponseHeadersPolicyConfig: {
                SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: csp } },
              },
            },
          },
        },
      }) as unknown as Template;
    expect(() => pageHeadersFromTemplate(withCsp({ 'Fn::Sub': "script-src 'self' ${CdnDomain}" }), [])).toThrow(
      PageHeadersError,
    );
    expect(() => pageHeadersFromTemplate(withCsp({ 'Fn::Join': ['', []] }), [])).toThrow(/string or a !Sub/);
  });
});

describe('the local API Gateway serves the pages with those headers', () => {
  let sfn: FakeStepFunctions;
  let gateway: ApiGatewayServer;
  let webRoot: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    sfn = new FakeStepFunctions();
    await sfn.start();
    webRoot = stubWebRoot('security-headers-');
    gateway = await startApiGateway({
      port: 0,
      template,
      lambda: new FakeLambda({}),
      sfnEndpoint: sfn.url,
      apiKey: 'local-dev-key',
      webRoot,
      region: 'us-east-1',
      pageConfig: { sfnDashboardBase: 'http://localhost:8083', outboxUrl: 'http://localhost:8005/store' },
      log: (line) => logLines.push(line),
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await sfn?.stop();
    rmSync(webRoot, { recursive: true, force: true });
  });

  test.each([
    '/',
    '/admin/',
    '/testcentre/?IncidentId=i-1&ExamId=e-1&TaskToken=secret-token',
    '/callcenter/',
    '/_local/',
    '/admin/main.js',
    '/styles.css',
    '/config.js',
  ])('GET %s', async (url) => {
    const response = await fetch(`${gateway.url}${url}`);
    expect(response.status).toBe(200);
    for (const [name, value] of Object.entries(expectedLocalHeaders)) {
      expect({ name, value: response.headers.get(name) }).toEqual({ name, value });
    }
  });

  test('a folder without its slash is redirected with the same headers', async () => {
    const response = await fetch(`${gateway.url}/testcentre`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toBe(expectedLocalHeaders['Content-Security-Policy']);
  });

  test('the redirect keeps the query string as sent, so an emailed link keeps its TaskToken', async () => {
    const query = '?IncidentId=i-1&ExamId=e-1&TaskToken=AAAA%2Bb%2F%3D%3D&flag';
    const response = await fetch(`${gateway.url}/testcentre${query}`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(`/testcentre/${query}`);
  });

  test('the request log shows a Testing Centre link without its task token', async () => {
    await fetch(`${gateway.url}/testcentre/?IncidentId=log-1&ExamId=e-1&TaskToken=secret-token`);
    await fetch(`${gateway.url}/exam/questions?IncidentId=log-2&Task%54oken=secret-token-2`);
    // A request's line is written once its answer has gone out, so it may come just after the response.
    const lineOf = (marker: string) =>
      eventually(`the log line of ${marker}`, async () => logLines.find((line) => line.includes(marker)));
    expect(await lineOf('IncidentId=log-1')).toContain(
      'GET /testcentre/?IncidentId=log-1&ExamId=e-1&TaskToken=[redacted] 200',
    );
    expect(await lineOf('IncidentId=log-2')).toContain('GET /exam/questions?IncidentId=log-2&Task%54oken=[redacted]');
    expect(logLines.join('\n')).not.toContain('secret-token');
  });
});

describe('loggableTarget', () => {
  test.each([
    ['/exam/questions', '/exam/questions'],
    ['/testcentre/?TaskToken=abc', '/testcentre/?TaskToken=[redacted]'],
    ['/testcentre/?tasktoken=abc&ExamId=e', '/testcentre/?tasktoken=[redacted]&ExamId=e'],
    ['/x?Task%54oken=abc#frag', '/x?Task%54oken=[redacted]#frag'],
    ['/x?Task+Token=abc&TaskToken', '/x?Task+Token=abc&TaskToken'],
    ['/x?%E0%A4%A=1&TaskToken=a%2Fb', '/x?%E0%A4%A=1&TaskToken=[redacted]'],
  ])('%s → %s', (target, logged) => {
    expect(loggableTarget(target)).toBe(logged);
  });
});

describe('the pages need nothing the CSP refuses', () => {
  const webFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? webFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    );
  const files = webFiles(path.join(PROJECT_ROOT, 'web')).filter(
    (file) => /\.(html|ts)$/.test(file) && !file.endsWith('build.ts'),
  );
  /** The file without its comments (which may well mention `<script>` or `javascript:`). */
  const code = (file: string) =>
    readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|\s)\/\/.*$/gm, '$1')
      .replace(/<!--[\s\S]*?-->/g, '');

  test('no inline script, inline style attribute, event handler attribute or javascript: URL in any page or template', () => {
    const problems = files.flatMap((file) => {
      const text = code(file);
      const found: string[] = [];
      if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(text)) found.push('inline <script>');
      if (/<style[\s>]/i.test(text)) found.push('<style> element');
      if (/\sstyle="/.test(text)) found.push('style attribute');
      if (/<[a-z][^>]*\son[a-z]+=/i.test(text)) found.push('event handler attribute');
      if (/javascript:/i.test(text)) found.push('javascript: URL');
      return found.map((problem) => `${path.relative(PROJECT_ROOT, file)}: ${problem}`);
    });
    expect(files.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  test('no page code evaluates strings as code', () => {
    const offenders = files.filter((file) => /\beval\(|new Function\(|setTimeout\(\s*['"`]/.test(code(file)));
    expect(offenders).toEqual([]);
  });
});
