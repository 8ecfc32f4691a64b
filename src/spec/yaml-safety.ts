import { isAlias, isCollection, isPair, isScalar, type Document, type Node } from 'yaml';

/** Deeper than any settings or SLO file needs (a few levels; a routing tree a dozen), far below the stack's limit. */
export const maxYamlDepth = 64;

/** Alias expansions allowed when a document becomes data: a "billion laughs" document stops here. */
export const maxAliasCount = 100;

/** A document that cannot safely become data: where, and why. */
export interface YamlHazard {
  offset: number;
  message: string;
}

/** The YAML parser's own words for a document nested too deeply for it. */
export function isStackOverflow(message: string): boolean {
  return /Maximum call stack size exceeded/i.test(message);
}

export const tooDeepMessage = `nested more than ${maxYamlDepth} levels deep`;

/**
 * Turns a parsed document into data, refusing what would crash or exhaust the process: nesting deeper than
 * {@link maxYamlDepth} (checked without recursion) and alias bombs (the `yaml` package's `maxAliasCount`).
 */
export function toDataSafely(doc: Document): { value: unknown; hazard?: undefined } | { value?: undefined; hazard: YamlHazard } {
  const deep = tooDeepNode(doc);
  if (deep !== undefined) return { hazard: { offset: deep.range?.[0] ?? 0, message: tooDeepMessage } };
  try {
    return { value: doc.toJS({ maxAliasCount }) };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    if (/alias/i.test(message)) {
      return { hazard: { offset: firstAlias(doc)?.range?.[0] ?? 0, message: `too many alias expansions (over ${maxAliasCount}): aliases that expand into aliases are refused` } };
    }
    return { hazard: { offset: 0, message: `cannot read the document: ${message.split('\n')[0]}` } };
  }
}

function children(node: unknown): unknown[] {
  if (isCollection(node)) return node.items as unknown[];
  if (isPair(node)) return [node.key, node.value];
  return [];
}

function tooDeepNode(doc: Document): Node | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isCollection(node) && depth >= maxYamlDepth) return node;
    const next = isCollection(node) ? depth + 1 : depth;
    for (const child of children(node)) stack.push({ node: child, depth: next });
  }
  return undefined;
}

function firstAlias(doc: Document): Node | undefined {
  const stack: unknown[] = [doc.contents];
  let first: Node | undefined;
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node) && (first === undefined || (node.range?.[0] ?? 0) < (first.range?.[0] ?? 0))) first = node;
    else if (!isScalar(node)) stack.push(...children(node));
  }
  return first;
}
