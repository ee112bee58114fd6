/**
 * Matches request paths to the resources of a REST API, as API Gateway does: a literal path part
 * before a `{param}` (one segment), before a `{proxy+}` (the rest of the path, one segment or more);
 * then the method, or `ANY`.
 */
export interface RouteMatch<T> {
  readonly route: T;
  /** Decoded values of the `{param}` and `{proxy+}` parts; empty when the resource has none. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

export type PathMatch<T> =
  | { readonly found: 'route'; readonly match: RouteMatch<T> }
  /** The resource exists, without the method. */
  | { readonly found: 'resource' }
  | { readonly found: 'nothing' };

interface Node<T> {
  readonly literal: Map<string, Node<T>>;
  parameter?: { readonly name: string; readonly node: Node<T> };
  greedy?: { readonly name: string; readonly node: Node<T> };
  readonly methods: Map<string, T>;
}

const newNode = <T>(): Node<T> => ({ literal: new Map(), methods: new Map() });

export class RouteTable<T> {
  private readonly root: Node<T> = newNode();

  /** `resourcePath` such as `/orders/{orderId}` or `/files/{proxy+}`. Throws on a conflict. */
  add(resourcePath: string, httpMethod: string, route: T): void {
    let node = this.root;
    for (const part of segments(resourcePath)) {
      const greedy = /^\{(.+)\+\}$/.exec(part)?.[1];
      const parameter = /^\{(.+)\}$/.exec(part)?.[1];
      if (greedy !== undefined) {
        if (node.greedy && node.greedy.name !== greedy)
          throw conflict(resourcePath, `{${node.greedy.name}+}`);
        node.greedy ??= { name: greedy, node: newNode() };
        node = node.greedy.node;
      } else if (parameter !== undefined) {
        if (node.parameter && node.parameter.name !== parameter)
          throw conflict(resourcePath, `{${node.parameter.name}}`);
        node.parameter ??= { name: parameter, node: newNode() };
        node = node.parameter.node;
      } else {
        const next = node.literal.get(part) ?? newNode<T>();
        node.literal.set(part, next);
        node = next;
      }
    }
    if (node.methods.has(httpMethod)) throw new Error(`${httpMethod} ${resourcePath} is declared twice`);
    node.methods.set(httpMethod, route);
  }

  /** `path` as sent, percent-encoded, such as `/orders/ord%201`. */
  match(path: string, httpMethod: string): PathMatch<T> {
    const found = find(this.root, segments(path).map(decode), {});
    if (!found) return { found: 'nothing' };
    const route = found.node.methods.get(httpMethod) ?? found.node.methods.get('ANY');
    if (route === undefined) return { found: 'resource' };
    return { found: 'route', match: { route, pathParameters: found.parameters } };
  }
}

/** The most specific resource that has methods for `parts`. */
function find<T>(
  node: Node<T>,
  parts: readonly string[],
  parameters: Record<string, string>,
): { node: Node<T>; parameters: Record<string, string> } | undefined {
  const [part, ...rest] = parts;
  if (part === undefined) return node.methods.size > 0 ? { node, parameters } : undefined;
  const literal = node.literal.get(part);
  const viaLiteral = literal && find(literal, rest, parameters);
  if (viaLiteral) return viaLiteral;
  const viaParameter =
    node.parameter && find(node.parameter.node, rest, { ...parameters, [node.parameter.name]: part });
  if (viaParameter) return viaParameter;
  if (node.greedy && node.greedy.node.methods.size > 0) {
    return { node: node.greedy.node, parameters: { ...parameters, [node.greedy.name]: parts.join('/') } };
  }
  return undefined;
}

function segments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function conflict(resourcePath: string, existing: string): Error {
  return new Error(`${resourcePath} conflicts with ${existing} at the same level`);
}
