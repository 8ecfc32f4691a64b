import { BackendError } from '../backend.js';
import { negate, scalarScalar, vectorScalar, vectorVector } from './arithmetic-eval.js';
import { evalCounterIncrements } from './counter-increments.js';
import type { Expr } from './promql-ast.js';
import { evalLabelReplace } from './label-replace-eval.js';
import { evalRangeFunction, evalVectorSelector, type EvalContext } from './selector-eval.js';
import { evalSetOperation } from './set-operation-eval.js';
import { evalSum } from './sum-eval.js';
import type { StepValue } from './step-values.js';
import { runCooperatively, runToEnd, type Work } from './cooperative.js';

/** Evaluates a parsed expression at every step of the context's grid, holding the event loop until done. */
export function evaluate(expr: Expr, context: EvalContext): StepValue {
  return runToEnd(evaluation(expr, context));
}

/** Evaluates like `evaluate`, giving the event loop a turn after every time slice (queries over many series). */
export function evaluateCooperatively(expr: Expr, context: EvalContext): Promise<StepValue> {
  return runCooperatively(evaluation(expr, context));
}

function* evaluation(expr: Expr, context: EvalContext): Work<StepValue> {
  context.checkAbort();
  const { count } = context.grid;
  switch (expr.kind) {
    case 'number':
      return { type: 'scalar', values: new Float64Array(count).fill(expr.value) };
    case 'vector':
      return { type: 'vector', series: yield* evalVectorSelector(context, expr.matchers) };
    case 'matrix':
      throw new BackendError('bad_query', 'invalid expression type "range vector" for range query, must be Scalar or instant Vector');
    case 'call':
      return {
        type: 'vector',
        series: context.rangeFunctions === 'increments' ? yield* evalCounterIncrements(context, expr) : yield* evalRangeFunction(context, expr),
      };
    case 'labelReplace': {
      const input = yield* evaluation(expr.expr, context);
      if (input.type !== 'vector') throw new BackendError('bad_query', 'expected type instant vector in call to function "label_replace", got scalar');
      return { type: 'vector', series: yield* evalLabelReplace(expr, input.series, count) };
    }
    case 'set': {
      const lhs = yield* evaluation(expr.lhs, context);
      const rhs = yield* evaluation(expr.rhs, context);
      if (lhs.type !== 'vector' || rhs.type !== 'vector') {
        throw new BackendError('bad_query', `set operator "${expr.op}" not allowed in binary scalar expression`);
      }
      return { type: 'vector', series: yield* evalSetOperation(expr.op, lhs.series, rhs.series, count) };
    }
    case 'sum': {
      const input = yield* evaluation(expr.expr, context);
      if (input.type !== 'vector') throw new BackendError('bad_query', 'expected type instant vector in aggregation expression, got scalar');
      return { type: 'vector', series: yield* evalSum(input.series, expr.grouping, count) };
    }
    case 'unary': {
      const input = yield* evaluation(expr.expr, context);
      if (expr.op === '+') return input;
      if (input.type === 'scalar') return { type: 'scalar', values: input.values.map((v) => -v) };
      return { type: 'vector', series: yield* negate(input.series, count) };
    }
    case 'binary': {
      const lhs = yield* evaluation(expr.lhs, context);
      const rhs = yield* evaluation(expr.rhs, context);
      if (lhs.type === 'scalar' && rhs.type === 'scalar') return { type: 'scalar', values: scalarScalar(expr.op, lhs.values, rhs.values) };
      if (lhs.type === 'vector' && rhs.type === 'scalar') return { type: 'vector', series: yield* vectorScalar(expr.op, lhs.series, rhs.values, false, count) };
      if (lhs.type === 'scalar' && rhs.type === 'vector') return { type: 'vector', series: yield* vectorScalar(expr.op, rhs.series, lhs.values, true, count) };
      if (lhs.type === 'vector' && rhs.type === 'vector') return { type: 'vector', series: yield* vectorVector(expr.op, lhs.series, rhs.series, count) };
      throw new BackendError('bad_query', 'binary expression must contain only scalar and instant vector types');
    }
  }
}
