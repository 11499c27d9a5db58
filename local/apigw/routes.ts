import { ApiDefinitionError, type ApiMethod, type RestApi } from './model';
import { nameMap } from './name-map';

/**
 * API Gateway's resource matching for REST APIs: a literal path part wins over a `{param}`, which wins over
 * a greedy `{proxy+}` (which takes one or more remaining parts); the method is the request's verb, else the
 * resource's ANY. A path no resource matches and a verb the resource lacks both end in the same 403
 * "Missing Authentication Token" in API Gateway (it never answers 404 or 405 for them).
 */

interface Node {
  literal: Map<string, Node>;
  param?: { name: string; node: Node };
  greedy?: { name: string; node: Node };
  /** The methods of the resource at this node (a node without methods is no resource). */
  methods: Map<string, ApiMethod>;
}

const newNode = (): Node => ({ literal: new Map(), methods: new Map() });

export interface RouteMatch {
  method: ApiMethod;
  pathParameters: Record<string, string>;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export class RouteTable {
  private readonly root = newNode();

  constructor(apis: RestApi[]) {
    for (const api of apis) for (const method of api.methods) this.add(method);
  }

  private add(method: ApiMethod): void {
    let node = this.root;
    const parts = method.resourcePath.split('/').filter((part) => part !== '');
    parts.forEach((part, index) => {
      const greedy = /^\{([^{}]+)\+\}$/.exec(part);
      const param = /^\{([^{}+]+)\}$/.exec(part);
      if (greedy) {
        if (index !== parts.length - 1)
          throw new ApiDefinitionError(
            `${method.api.logicalId} ${method.resourcePath}: a greedy {${greedy[1]}+} must be the last path part`,
          );
        node.greedy ??= { name: greedy[1], node: newNode() };
        if (node.greedy.name !== greedy[1])
          throw new ApiDefinitionError(
            `${method.resourcePath}: {${greedy[1]}+} conflicts with the sibling {${node.greedy.name}+}`,
          );
        node = node.greedy.node;
      } else if (param) {
        node.param ??= { name: param[1], node: newNode() };
        if (node.param.name !== param[1])
          throw new ApiDefinitionError(
            `${method.resourcePath}: {${param[1]}} conflicts with the sibling {${node.param.name}} (API Gateway allows one variable per level)`,
          );
        node = node.param.node;
      } else {
        if (part.includes('{') || part.includes('}'))
          throw new ApiDefinitionError(`${method.resourcePath}: path part ${part} is not a literal, {name} or {name+}`);
        let child = node.literal.get(part);
        if (!child) {
          child = newNode();
          node.literal.set(part, child);
        }
        node = child;
      }
    });
    if (node.methods.has(method.httpMethod)) {
      const existing = node.methods.get(method.httpMethod)!;
      throw new ApiDefinitionError(
        `${method.httpMethod} ${method.resourcePath} is defined by both ${existing.api.logicalId} and ${method.api.logicalId}`,
      );
    }
    node.methods.set(method.httpMethod, method);
  }

  /** The method serving `httpMethod path`, or undefined for API Gateway's "Missing Authentication Token". */
  match(httpMethod: string, path: string): RouteMatch | undefined {
    // API Gateway ignores a trailing slash and empty path parts.
    const parts = path.split('/').filter((part) => part !== '');
    const found = this.find(this.root, parts, []);
    if (!found) return undefined;
    const method = found.node.methods.get(httpMethod.toUpperCase()) ?? found.node.methods.get('ANY');
    // A name map, like every map of request values: the lookups by a template's parameter names stay exact.
    return method ? { method, pathParameters: nameMap(found.params) } : undefined;
  }

  private find(
    node: Node,
    parts: string[],
    params: [string, string][],
  ): { node: Node; params: [string, string][] } | undefined {
    if (parts.length === 0) return node.methods.size > 0 ? { node, params } : undefined;
    const [head, ...rest] = parts;
    const literal = node.literal.get(decode(head));
    const viaLiteral = literal && this.find(literal, rest, params);
    if (viaLiteral) return viaLiteral;
    if (node.param) {
      const viaParam = this.find(node.param.node, rest, [...params, [node.param.name, decode(head)]]);
      if (viaParam) return viaParam;
    }
    if (node.greedy && node.greedy.node.methods.size > 0) {
      return { node: node.greedy.node, params: [...params, [node.greedy.name, parts.map(decode).join('/')]] };
    }
    return undefined;
  }

  /** Every method, for listing the routes at start. */
  all(): ApiMethod[] {
    const result: ApiMethod[] = [];
    const walk = (node: Node) => {
      result.push(...node.methods.values());
      node.literal.forEach(walk);
      if (node.param) walk(node.param.node);
      if (node.greedy) walk(node.greedy.node);
    };
    walk(this.root);
    return result;
  }
}
