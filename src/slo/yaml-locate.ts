import { isMap, isNode, isScalar, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

/**
 * Finds where a field path sits in a parsed document: the value node, or the key node when `at` is `key`.
 * A path that does not exist (a missing field) resolves to its nearest existing parent mapping.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  at: 'key' | 'value' = 'value',
): Position {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    const node = nodeAt(doc, prefix, at === 'key' && depth === path.length);
    if (node?.range) return position(lineCounter, node.range[0]);
  }
  return position(lineCounter, doc.range?.[0] ?? 0);
}

export function position(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function nodeAt(doc: Document, path: readonly PropertyKey[], wantKey: boolean): Node | undefined {
  if (path.length === 0) return isNode(doc.contents) ? doc.contents : undefined;
  if (wantKey) {
    const parent = doc.getIn(path.slice(0, -1) as unknown[], true);
    const last = path[path.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(last));
      if (pair && isNode(pair.key)) return pair.key;
    }
  }
  const node: unknown = doc.getIn(path as unknown[], true);
  return isNode(node) ? node : undefined;
}
