/**
 * The CloudFront Function in front of the web bucket (template.yaml WebIndexFunction), run as CloudFront runs it: its
 * code alone, in a fresh context, called with a viewer-request event (the shape of the CloudFront Functions event
 * structure: querystring is an object of { value, multiValue? }, values percent-encoded as the viewer sent them).
 */
import vm from 'node:vm';
import { loadTemplate } from '../../local/template/load';

interface QueryValue {
  value: string;
  multiValue?: { value: string }[];
}

const code = String(loadTemplate().Resources.WebIndexFunction.Properties?.FunctionCode);
const handler = vm.runInNewContext(`${code}\nhandler`) as (event: unknown) => Record<string, any>;

const viewerRequest = (uri: string, querystring: Record<string, QueryValue> = {}) =>
  handler({
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '192.0.2.1' },
    request: { method: 'GET', uri, querystring, headers: {}, cookies: {} },
  });

describe('WebIndexFunction (CloudFront viewer request)', () => {
  test('a folder URL is served as its index.html', () => {
    expect(viewerRequest('/admin/')).toMatchObject({ uri: '/admin/index.html' });
  });

  test('a file is passed through unchanged', () => {
    expect(viewerRequest('/admin/main.js')).toMatchObject({ uri: '/admin/main.js' });
  });

  test('a folder without its slash is redirected with its query string, values as sent (the TaskToken survives)', () => {
    const response = viewerRequest('/testcentre', {
      IncidentId: { value: 'i-1' },
      ExamId: { value: 'e-1' },
      TaskToken: { value: 'AAAA%2Bb%2F%3D%3D' },
    });
    expect(response).toEqual({
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: '/testcentre/?IncidentId=i-1&ExamId=e-1&TaskToken=AAAA%2Bb%2F%3D%3D' } },
    });
  });

  test('repeated and value-less parameters are kept', () => {
    const response = viewerRequest('/admin', {
      tag: { value: 'b', multiValue: [{ value: 'a' }, { value: 'b' }] },
      flag: { value: '' },
    });
    expect(response.headers.location.value).toBe('/admin/?tag=a&tag=b&flag');
  });

  test('without a query string the redirect has none', () => {
    expect(viewerRequest('/callcenter').headers.location.value).toBe('/callcenter/');
  });
});
