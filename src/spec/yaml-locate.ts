import { isMap, isNode, isScalar, Scalar, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

/**
 * Finds where a field path sits in a parsed document: the value node, or the key node when `at` is `key`.
 * A path that does not exist (a missing field) resolves to its nearest existing parent mapping.
 * `offsetInValue` moves the position inside a one-line string value when the source maps 1:1 onto the value.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  at: 'key' | 'value' = 'value',
  offsetInValue?: number,
): Position {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    const node = nodeAt(doc, prefix, at === 'key' && depth === path.length);
    if (node?.range) {
      const exact = depth === path.length && at === 'value' && offsetInValue !== undefined;
      return position(lineCounter, node.range[0] + (exact ? shiftInScalar(lineCounter, node, offsetInValue) : 0));
    }
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

/**
 * Source offset of a character of a scalar's value, when the scalar sits on one line and its source is the
 * value itself (plain) or the value in quotes without escapes; 0 (the scalar's start) otherwise.
 */
function shiftInScalar(lineCounter: LineCounter, node: Node, offset: number): number {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return 0;
  const [start, end] = node.range;
  if (lineCounter.linePos(start).line !== lineCounter.linePos(Math.max(start, end - 1)).line) return 0;
  const length = end - start;
  if (node.type === Scalar.PLAIN && length === node.value.length) return offset;
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  if (quoted && length === node.value.length + 2) return offset + 1;
  return 0;
}
