/**
 * The checks every port of the local cloud makes before anything else (local/request-guard.ts), on the headers a
 * browser sends: the Host names this machine, the request comes from no other origin, a state-changing call is
 * JSON. tests/security/cross-origin.test.ts sends the same requests to the running ports.
 */
import {
  crossOriginRefusal,
  hostName,
  hostRefusal,
  isAllowedHost,
  jsonBodyRefusal,
  localRequestRefusal,
} from '../../local/request-guard';

const request = (headers: Record<string, string>, method = 'GET') => ({ method, headers });

describe('Host', () => {
  test.each([
    ['localhost:3000', 'localhost'],
    ['LocalHost', 'localhost'],
    ['127.0.0.1:8083', '127.0.0.1'],
    ['[::1]:8005', '[::1]'],
    ['[::1]', '[::1]'],
  ])('%s names %s', (host, name) => {
    expect(hostName(host)).toBe(name);
  });

  test.each(['localhost', 'localhost:3000', '127.0.0.1:8083', '[::1]:8005', 'dashboard.localhost:3000', 'LOCALHOST:1'])(
    '%s is this machine',
    (host) => {
      expect(isAllowedHost(host)).toBe(true);
      expect(hostRefusal(request({ host }))).toBeUndefined();
    },
  );

  test.each([
    'evil.example:8083',
    'localhost.evil.example',
    '127.0.0.1.nip.io:3000',
    'localhost-evil.example',
    '0.0.0.0:8083',
    '127.0.0.2:8083',
    '[::ffff:7f00:1]:3000',
    '192.168.1.20:3000',
    'sync-localhost:8083',
  ])('%s is refused: 403 HostNotAllowed naming it', (host) => {
    expect(hostRefusal(request({ host }))).toEqual({
      status: 403,
      error: 'HostNotAllowed',
      message: expect.stringContaining(`Host '${host}'`),
    });
  });

  test('a server may allow the address it listens on, and the SDK prefix sync- where it is told to', () => {
    expect(isAllowedHost('192.168.1.20:3000', { allowedHosts: ['192.168.1.20'] })).toBe(true);
    expect(isAllowedHost('sync-localhost:8083', { hostPrefixes: ['sync-'] })).toBe(true);
    expect(isAllowedHost('sync-evil.example:8083', { hostPrefixes: ['sync-'] })).toBe(false);
  });

  test('a request without Host (HTTP/1.0, never a browser) passes', () => {
    expect(hostRefusal(request({}))).toBeUndefined();
  });
});

describe('origin', () => {
  test.each<[string, Record<string, string>, string?]>([
    ['a page of another site', { host: 'localhost:8083', origin: 'http://evil.example' }],
    ['a page on another port of this machine', { host: 'localhost:8083', origin: 'http://localhost:3000' }],
    ['the opaque origin of a sandboxed frame', { host: 'localhost:8083', origin: 'null' }],
    [
      'a CORS preflight, even from no origin',
      { host: 'localhost:8083', 'access-control-request-method': 'POST' },
      'OPTIONS',
    ],
    ['a no-cors form post that carries no Origin', { host: 'localhost:8005', 'sec-fetch-site': 'cross-site' }, 'POST'],
    ['a fetch from another port', { host: 'localhost:8005', 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors' }],
    [
      'a form posted as a navigation',
      { host: 'localhost:8005', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' },
      'POST',
    ],
  ])('%s is refused: 403 CrossOriginRequestRefused', (_case, headers, method = 'GET') => {
    expect(crossOriginRefusal(request(headers, method))).toMatchObject({
      status: 403,
      error: 'CrossOriginRequestRefused',
    });
  });

  test.each<[string, Record<string, string>, string?]>([
    ['a program (no browser headers)', { host: 'localhost:8083' }, 'POST'],
    ['the page on its own origin', { host: 'localhost:3000', origin: 'http://localhost:3000' }, 'POST'],
    ['the page on 127.0.0.1', { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' }, 'POST'],
    ['the page behind a TLS proxy', { host: 'localhost:3000', origin: 'https://localhost:3000' }, 'POST'],
    ['a same-origin fetch', { host: 'localhost:3000', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' }],
    [
      'a link followed from another page',
      { host: 'localhost:8005', 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' },
    ],
    ['an address typed in', { host: 'localhost:3000', 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' }],
  ])('%s passes', (_case, headers, method = 'GET') => {
    expect(crossOriginRefusal(request(headers, method))).toBeUndefined();
  });
});

describe('JSON content type', () => {
  test.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])('%s passes', (type) => {
    expect(jsonBodyRefusal(request({ 'content-type': type }, 'POST'))).toBeUndefined();
  });

  test.each<[string, Record<string, string>]>([
    ['POST', { 'content-type': 'text/plain;charset=UTF-8' }],
    ['POST', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['POST', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['POST', {}],
    ['DELETE', {}],
  ])('%s with %j is refused: 415 UnsupportedMediaType', (method, headers) => {
    expect(jsonBodyRefusal(request(headers, method))).toMatchObject({ status: 415, error: 'UnsupportedMediaType' });
  });

  test('reads need none', () => {
    expect(jsonBodyRefusal(request({}, 'GET'))).toBeUndefined();
    expect(jsonBodyRefusal(request({}, 'HEAD'))).toBeUndefined();
  });
});

test('the checks run Host first, then origin, then the content type', () => {
  const all = { host: 'evil.example', origin: 'http://evil.example', 'content-type': 'text/plain' };
  expect(localRequestRefusal(request(all, 'POST'), { requireJson: true })?.error).toBe('HostNotAllowed');
  expect(localRequestRefusal(request({ ...all, host: 'localhost' }, 'POST'), { requireJson: true })?.error).toBe(
    'CrossOriginRequestRefused',
  );
  expect(
    localRequestRefusal(request({ host: 'localhost', 'content-type': 'text/plain' }, 'POST'), { requireJson: true })
      ?.error,
  ).toBe('UnsupportedMediaType');
  expect(localRequestRefusal(request({ host: 'localhost', 'content-type': 'text/plain' }, 'POST'))).toBeUndefined();
});
