import type { LabelMatcher } from './matchers.js';

/** The PromQL subset the embedded store evaluates, as a typed tree. */
export type Expr = NumberLiteral | VectorSelector | MatrixSelector | RangeFunctionCall | SumAggregation | BinaryExpr | UnaryExpr;

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

export interface UnaryExpr {
  kind: 'unary';
  op: '+' | '-';
  expr: Expr;
}

export type ValueType = 'scalar' | 'vector' | 'matrix';
