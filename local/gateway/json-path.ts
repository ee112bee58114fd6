/**
 * The JSONPath that mapping templates use (`$input.path('$.events')`, `$input.json('$.a[0].b')`):
 * `$`, `.name`, `['name']`, `[index]`, and `.*` / `[*]` (every item). A path outside this subset
 * throws, naming the path.
 */
export function atJsonPath(root: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`JSONPath ${JSON.stringify(path)} does not start with $`);
  let nodes: unknown[] = [root];
  let wildcard = false;
  let rest = path.slice(1);
  while (rest.length > 0) {
    const step =
      /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\.\*|\[\*\])/.exec(rest);
    if (!step)
      throw new Error(`JSONPath ${JSON.stringify(path)} is not supported locally at ${JSON.stringify(rest)}`);
    rest = rest.slice(step[0].length);
    const [, name, index, quoted, doubleQuoted] = step;
    if (name === undefined && index === undefined && quoted === undefined && doubleQuoted === undefined) {
      wildcard = true;
      nodes = nodes.flatMap((node) =>
        Array.isArray(node) ? node : node !== null && typeof node === 'object' ? Object.values(node) : [],
      );
      continue;
    }
    const key = index !== undefined ? Number(index) : (name ?? quoted ?? doubleQuoted ?? '');
    nodes = nodes.flatMap((node) => {
      if (node === null || typeof node !== 'object') return [];
      const value = (node as Record<string | number, unknown>)[key];
      return value === undefined ? [] : [value];
    });
  }
  return wildcard ? nodes : nodes[0];
}
