import type { LabelMatcher } from '../../labels/matchers.js';

/** The PromQL subset the embedded store evaluates, as a typed tree. */
export type Expr =
  | NumberLiteral
  | VectorSelector
  | MatrixSelector
  | RangeFunctionCall
  | LabelReplaceCall
  | SumAggregation
  | BinaryExpr
  | SetExpr
  | UnaryExpr;

export interface NumberLiteral {
  kind: 'number';
  value: number;
}

export interface VectorSelector {
  kind: 'vector';
  /** Includes the metric name as a `__name__` equality matcher when one was written. */
  matchers: LabelMatcher[];
}

export interface MatrixSelector {
  kind: 'matrix';
  selector: VectorSelector;
  rangeMs: number;
}

export const rangeFunctions = ['rate', 'increase'] as const;
export type RangeFunction = (typeof rangeFunctions)[number];

export interface RangeFunctionCall {
  kind: 'call';
  func: RangeFunction;
  arg: MatrixSelector;
}

/** `label_replace(expr, dst, replacement, src, regex)`; `regex` is the RE2 source, validated while parsing. */
export interface LabelReplaceCall {
  kind: 'labelReplace';
  expr: Expr;
  dst: string;
  replacement: string;
  src: string;
  regex: string;
}

export interface Grouping {
  mode: 'by' | 'without';
  labels: string[];
}

export interface SumAggregation {
  kind: 'sum';
  /** Absent for a plain `sum(...)`, which groups everything into one series without labels. */
  grouping?: Grouping;
  expr: Expr;
}

export const arithmeticOperators = ['+', '-', '*', '/'] as const;
export type ArithmeticOperator = (typeof arithmeticOperators)[number];

export interface BinaryExpr {
  kind: 'binary';
  op: ArithmeticOperator;
  lhs: Expr;
  rhs: Expr;
}

export const setOperators = ['and', 'or', 'unless'] as const;
export type SetOperator = (typeof setOperators)[number];

/** A set operation between two instant vectors, matching on all labels except `__name__`. */
export interface SetExpr {
  kind: 'set';
  op: SetOperator;
  lhs: Expr;
  rhs: Expr;
}

export interface UnaryExpr {
  kind: 'unary';
  op: '+' | '-';
  expr: Expr;
}

export type ValueType = 'scalar' | 'vector' | 'matrix';
