import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { BackendError } from '../backend.js';
import { parseGoFloat } from './go-float.js';
import { metricNameLabel } from './labels.js';
import { compileMatcher, type LabelMatcher, type MatchType } from '../../labels/matchers.js';
import { labelNamePattern } from './label-replace-eval.js';
import { compileAnchoredRe2, RegexSyntaxError } from '../../labels/re2-regex.js';
import { parsePromDuration } from './promql-literals.js';
import { unquoteString } from '../../promql/string-literal.js';
import type { ArithmeticOperator, Expr, Grouping, MatrixSelector, SetOperator, ValueType, VectorSelector } from './promql-ast.js';

const subset =
  "the embedded store's PromQL subset (sum, sum by/without, rate, increase, label_replace, label matchers, + - * /, and/or/unless)";

function unsupported(construct: string): BackendError {
  return new BackendError('unsupported_query', `${construct} is outside ${subset}; use the Prometheus backend for it`);
}

function badQuery(message: string): BackendError {
  return new BackendError('bad_query', message);
}

const operatorNodes: Readonly<Record<string, string>> = {
  Add: '+', Sub: '-', Mul: '*', Div: '/', Mod: '%', Pow: '^', Eql: '==', Neq: '!=', Gtr: '>', Gte: '>=', Lss: '<',
  Lte: '<=', And: 'and', Or: 'or', Unless: 'unless', Atan2: 'atan2',
};
const matchOps: Readonly<Record<string, MatchType>> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };
const constructNames: Readonly<Record<string, string>> = {
  OffsetExpr: 'the offset modifier',
  StepInvariantExpr: 'the @ modifier',
  SubqueryExpr: 'a subquery',
  StringLiteral: 'a string literal as an expression',
  AnchoredExpr: 'the anchored modifier',
  SmoothedExpr: 'the smoothed modifier',
  MatchingModifierClause: 'vector matching (on/ignoring/group_left/group_right)',
  BoolModifier: 'the bool modifier',
  QuotedLabelMatcher: 'a quoted label name',
  QuotedLabelName: 'a quoted metric name',
};

function children(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) list.push(child);
  return list;
}

class Reader {
  constructor(private readonly query: string) {}

  text(node: SyntaxNode): string {
    return this.query.slice(node.from, node.to);
  }

  string(node: SyntaxNode): string {
    const value = unquoteString(this.text(node));
    if (value === undefined) throw badQuery(`invalid string literal ${this.text(node)}`);
    return value;
  }

  expr(node: SyntaxNode): Expr {
    switch (node.name) {
      case 'ParenExpr': {
        const inner = children(node)[0];
        if (inner === undefined) throw badQuery('empty parentheses');
        return this.expr(inner);
      }
      case 'NumberDurationLiteral': {
        const value = parseGoFloat(this.text(node));
        if (value === undefined) throw unsupported(`the duration ${this.text(node)} used as a number`);
        return { kind: 'number', value };
      }
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'MatrixSelector':
        return this.matrixSelector(node);
      case 'FunctionCall':
        return this.functionCall(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'UnaryExpr': {
        const [opNode, operand] = children(node);
        if (opNode === undefined || operand === undefined) throw badQuery('incomplete unary expression');
        const op = this.text(opNode) === '-' ? '-' : '+';
        const expr = this.expr(operand);
        // Prometheus folds a sign into a number literal while parsing.
        if (expr.kind === 'number') return { kind: 'number', value: op === '-' ? -expr.value : expr.value };
        return { kind: 'unary', op, expr };
      }
      default:
        throw unsupported(constructNames[node.name] ?? `the expression "${this.text(node)}"`);
    }
  }

  vectorSelector(node: SyntaxNode): VectorSelector {
    const matchers: LabelMatcher[] = [];
    for (const child of children(node)) {
      if (child.name === 'Identifier') matchers.push({ name: metricNameLabel, type: '=', value: this.text(child) });
      else if (child.name === 'LabelMatchers') {
        for (const matcher of children(child)) matchers.push(this.labelMatcher(matcher));
      } else throw unsupported(constructNames[child.name] ?? `"${this.text(child)}" in a selector`);
    }
    if (matchers.filter((m) => m.name === metricNameLabel).length > 1 && children(node)[0]?.name === 'Identifier') {
      throw badQuery(`metric name must not be set twice: ${this.text(node)}`);
    }
    for (const matcher of matchers) {
      try {
        compileMatcher(matcher);
      } catch (error) {
        if (error instanceof RegexSyntaxError) {
          throw badQuery(`invalid regular expression ${JSON.stringify(matcher.value)} for label ${matcher.name}: ${error.message}`);
        }
        throw error;
      }
    }
    if (matchers.every((m) => compileMatcher(m).matches(''))) {
      throw badQuery(`vector selector must contain at least one non-empty matcher: ${this.text(node)}`);
    }
    return { kind: 'vector', matchers };
  }

  labelMatcher(node: SyntaxNode): LabelMatcher {
    if (node.name !== 'UnquotedLabelMatcher') throw unsupported(constructNames[node.name] ?? `the matcher ${this.text(node)}`);
    const [nameNode, opNode, valueNode] = children(node);
    const op = opNode?.firstChild ? matchOps[opNode.firstChild.name] : undefined;
    if (nameNode === undefined || op === undefined || valueNode === undefined) throw badQuery(`malformed label matcher ${this.text(node)}`);
    return { name: this.text(nameNode), type: op, value: this.string(valueNode) };
  }

  matrixSelector(node: SyntaxNode): MatrixSelector {
    const [selectorNode, rangeNode] = children(node);
    if (selectorNode?.name !== 'VectorSelector' || rangeNode === undefined) {
      throw unsupported(`a range over "${selectorNode ? this.text(selectorNode) : ''}"`);
    }
    const literal = children(rangeNode);
    const only = literal.length === 1 ? literal[0] : undefined;
    const rangeMs = only?.name === 'NumberDurationLiteralInDurationContext' ? parsePromDuration(this.text(only)) : undefined;
    if (rangeMs === undefined) throw unsupported(`the range [${this.text(rangeNode)}] (only plain durations such as 5m or 1h30m)`);
    if (rangeMs <= 0) throw badQuery(`range must be greater than zero: [${this.text(rangeNode)}]`);
    return { kind: 'matrix', selector: this.vectorSelector(selectorNode), rangeMs };
  }

  /** A string argument, possibly in parentheses, as Prometheus' `stringFromArg` reads it. */
  stringArg(node: SyntaxNode, call: string): string {
    if (node.name === 'ParenExpr' && node.firstChild !== null && node.firstChild.nextSibling === null) return this.stringArg(node.firstChild, call);
    if (node.name === 'StringLiteral') return this.string(node);
    throw badQuery(`expected type string in call to function "${call}", got ${typeName(typeOf(this.expr(node)))}`);
  }

  labelReplace(args: SyntaxNode[]): Expr {
    const name = 'label_replace';
    if (args.length !== 5) throw badQuery(`expected 5 argument(s) in call to "${name}", got ${args.length}`);
    const [vectorNode, ...stringNodes] = args as [SyntaxNode, SyntaxNode, SyntaxNode, SyntaxNode, SyntaxNode];
    if (vectorNode.name === 'StringLiteral') throw badQuery(`expected type instant vector in call to function "${name}", got string`);
    const expr = this.expr(vectorNode);
    const type = typeOf(expr);
    if (type !== 'vector') throw badQuery(`expected type instant vector in call to function "${name}", got ${typeName(type)}`);
    const [dst, replacement, src, regex] = stringNodes.map((n) => this.stringArg(n, name)) as [string, string, string, string];
    try {
      compileAnchoredRe2(regex);
    } catch (error) {
      if (error instanceof RegexSyntaxError) throw badQuery(`invalid regular expression in label_replace(): ${regex} (${error.message})`);
      throw error;
    }
    if (!labelNamePattern.test(dst)) throw badQuery(`invalid destination label name in label_replace(): ${dst}`);
    return { kind: 'labelReplace', expr, dst, replacement, src, regex };
  }

  functionCall(node: SyntaxNode): Expr {
    const [identifier, body] = children(node);
    const name = identifier ? this.text(identifier) : '';
    const args = body ? children(body) : [];
    if (name === 'label_replace') return this.labelReplace(args);
    if (name !== 'rate' && name !== 'increase') throw unsupported(name === '' ? 'this function call' : name);
    if (args.length !== 1) throw badQuery(`expected 1 argument(s) in call to "${name}", got ${args.length}`);
    const arg = this.expr(args[0] as SyntaxNode);
    if (arg.kind !== 'matrix') {
      throw badQuery(`expected type range vector in call to function "${name}", got ${typeName(typeOf(arg))}`);
    }
    return { kind: 'call', func: name, arg };
  }

  aggregate(node: SyntaxNode): Expr {
    let op = '';
    let grouping: Grouping | undefined;
    let args: SyntaxNode[] = [];
    for (const child of children(node)) {
      if (child.name === 'AggregateOp') op = this.text(child).toLowerCase();
      else if (child.name === 'AggregateModifier') {
        const [modeNode, labelsNode] = children(child);
        const mode = modeNode?.name === 'Without' ? 'without' : 'by';
        const labels = labelsNode ? children(labelsNode).map((label) => {
          if (label.name !== 'LabelName') throw unsupported(constructNames[label.name] ?? `the grouping label ${this.text(label)}`);
          return this.text(label);
        }) : [];
        grouping = { mode, labels };
      } else if (child.name === 'FunctionCallBody') args = children(child);
    }
    if (op !== 'sum') throw unsupported(`the ${op} aggregation`);
    if (args.length !== 1) throw badQuery(`wrong number of arguments for aggregate expression provided, expected 1, got ${args.length}`);
    const expr = this.expr(args[0] as SyntaxNode);
    const type = typeOf(expr);
    if (type !== 'vector') throw badQuery(`expected type instant vector in aggregation expression, got ${typeName(type)}`);
    return grouping === undefined ? { kind: 'sum', expr } : { kind: 'sum', grouping, expr };
  }

  binary(node: SyntaxNode): Expr {
    const parts = children(node);
    const lhsNode = parts[0];
    const rhsNode = parts[parts.length - 1];
    const opNode = parts[1];
    const op = opNode ? operatorNodes[opNode.name] : undefined;
    const comparison = op !== undefined && ['==', '!=', '>', '>=', '<', '<='].includes(op);
    for (const part of parts.slice(2, -1)) {
      if (part.name === 'BoolModifier' && !comparison) throw badQuery('bool modifier can only be used on comparison operators');
      throw unsupported(constructNames[part.name] ?? `"${this.text(part)}"`);
    }
    if (lhsNode === undefined || rhsNode === undefined || op === undefined) throw badQuery(`malformed binary expression ${this.text(node)}`);
    const isSet = op === 'and' || op === 'or' || op === 'unless';
    if (!isSet && !['+', '-', '*', '/'].includes(op)) throw unsupported(`the ${op} operator`);
    const lhs = this.expr(lhsNode);
    const rhs = this.expr(rhsNode);
    for (const side of [lhs, rhs]) {
      const type = typeOf(side);
      if (type === 'matrix') throw badQuery(`binary expression must contain only scalar and instant vector types, got range vector`);
    }
    if (!isSet) return { kind: 'binary', op: op as ArithmeticOperator, lhs, rhs };
    if (typeOf(lhs) === 'scalar' || typeOf(rhs) === 'scalar') throw badQuery(`set operator "${op}" not allowed in binary scalar expression`);
    return { kind: 'set', op: op as SetOperator, lhs, rhs };
  }
}

function typeName(type: ValueType): string {
  return type === 'matrix' ? 'range vector' : type === 'vector' ? 'instant vector' : 'scalar';
}

export function typeOf(expr: Expr): ValueType {
  switch (expr.kind) {
    case 'number':
      return 'scalar';
    case 'matrix':
      return 'matrix';
    case 'binary':
      return typeOf(expr.lhs) === 'scalar' && typeOf(expr.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
      return typeOf(expr.expr);
    default:
      return 'vector';
  }
}

/** Parses a query into the subset's tree; syntax errors are `bad_query`, constructs beyond the subset `unsupported_query`. */
export function parsePromql(query: string): Expr {
  const tree = parser.parse(query);
  let errorAt: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (errorAt === undefined && node.type.isError) errorAt = node.from;
      return errorAt === undefined;
    },
  });
  if (errorAt !== undefined) {
    const near = query.slice(errorAt, errorAt + 20);
    throw badQuery(`syntax error in ${JSON.stringify(query)} at character ${errorAt + 1}: ${near === '' ? 'unexpected end of input' : `unexpected ${JSON.stringify(near)}`}`);
  }
  const top = tree.topNode.firstChild;
  if (top === null) throw badQuery('empty query');
  return new Reader(query).expr(top);
}
