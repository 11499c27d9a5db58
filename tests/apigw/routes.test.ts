import type { ApiMethod, RestApi } from '../../local/apigw/model';
import { RouteTable } from '../../local/apigw/routes';

/** API Gateway's resource precedence, on a table built straight from resource paths. */

function table(...routes: Array<[string, string]>): RouteTable {
  const api = { logicalId: 'Api', methods: [] as ApiMethod[] } as unknown as RestApi;
  api.methods = routes.map(([httpMethod, resourcePath]) => ({ httpMethod, resourcePath, api }) as unknown as ApiMethod);
  return new RouteTable([api]);
}

const resolve = (routes: RouteTable, method: string, url: string) => {
  const match = routes.match(method, url);
  return match && { resource: `${match.method.httpMethod} ${match.method.resourcePath}`, params: match.pathParameters };
};

test('literal over {param} over {proxy+}, with backtracking when the literal branch leads nowhere', () => {
  const routes = table(['GET', '/a/b'], ['GET', '/a/{x}/c'], ['GET', '/a/{x}'], ['ANY', '/{proxy+}']);
  expect(resolve(routes, 'GET', '/a/b')).toEqual({ resource: 'GET /a/b', params: {} });
  expect(resolve(routes, 'GET', '/a/b/c')).toEqual({ resource: 'GET /a/{x}/c', params: { x: 'b' } });
  expect(resolve(routes, 'GET', '/a/z')).toEqual({ resource: 'GET /a/{x}', params: { x: 'z' } });
  expect(resolve(routes, 'POST', '/a/z/q/r')).toEqual({ resource: 'ANY /{proxy+}', params: { proxy: 'a/z/q/r' } });
});

test('the resource decides first: a verb it lacks is no match even if a less specific resource has it', () => {
  const routes = table(['GET', '/items/special'], ['POST', '/items/{id}']);
  expect(resolve(routes, 'POST', '/items/special')).toBeUndefined();
  expect(resolve(routes, 'POST', '/items/7')).toEqual({ resource: 'POST /items/{id}', params: { id: '7' } });
});

test('a trailing slash and empty parts are ignored; "/" is only the root resource; parts are URL-decoded', () => {
  const routes = table(['GET', '/'], ['GET', '/things/{name}']);
  expect(resolve(routes, 'GET', '/')).toEqual({ resource: 'GET /', params: {} });
  expect(resolve(routes, 'GET', '/things/a%2Fb/')).toEqual({ resource: 'GET /things/{name}', params: { name: 'a/b' } });
  expect(resolve(routes, 'GET', '/things')).toBeUndefined();
});

test('two APIs defining the same method and path, or two names for one variable, are refused', () => {
  expect(() => table(['GET', '/x'], ['GET', '/x'])).toThrow(/defined by both/);
  expect(() => table(['GET', '/x/{a}'], ['GET', '/x/{b}/c'])).toThrow(/conflicts with the sibling/);
  expect(() => table(['GET', '/x/{p+}/y'])).toThrow(/must be the last path part/);
});
