// The report arithmetic on its own: NNLS against a case where plain least
// squares goes negative, Spearman with ties, month spreading and CSV quoting.
import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../worker/reports/csv';
import { nnls } from '../../worker/reports/nnls';
import { spreadMonth } from '../../worker/reports/spend';
import { ranks, spearman } from '../../worker/reports/stats';

describe('nnls', () => {
  it('solves exactly when the answer is non-negative', () => {
    const X = [[1, 0], [0, 1], [1, 1]];
    const { w, sse } = nnls(X, [2, 3, 5]);
    expect(w[0]).toBeCloseTo(2, 10);
    expect(w[1]).toBeCloseTo(3, 10);
    expect(sse).toBeCloseTo(0, 10);
  });

  it('clamps at zero where least squares would go negative', () => {
    // Unconstrained: w = (1, −1) fits exactly; with w ≥ 0 the best is w = (y·x1 / x1·x1, 0) = (0.5, 0).
    const X = [[1, 1], [1, 2]];
    const { w, sse } = nnls(X, [0, -1]);
    expect(w).toEqual([0, 0]);
    expect(sse).toBe(1);
    const r = nnls([[1, 0], [1, 1], [0, 1]], [1, 1, -1]);
    expect(r.w[0]).toBeCloseTo(1, 10);
    expect(r.w[1]).toBe(0);
  });
});

describe('spearman', () => {
  it('averages tied ranks', () => {
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(spearman([1, 2, 3, 4], [1, 3, 2, 4])).toBe(0.8); // 1 − 6·2/(4·15)
    expect(spearman([1, 1], [1, 2])).toBeNull();
  });
});

describe('spreading a month', () => {
  it('sums to the month and puts the remainder on the first days', () => {
    const days = spreadMonth('2024-02', 2_900_002);
    expect(days).toHaveLength(29);
    expect(days[0]).toEqual({ day: '2024-02-01', amount: 100_001 });
    expect(days[1]).toEqual({ day: '2024-02-02', amount: 100_001 });
    expect(days[2]).toEqual({ day: '2024-02-03', amount: 100_000 });
    expect(days.reduce((s, d) => s + d.amount, 0)).toBe(2_900_002);
    expect(spreadMonth('2023-02', 28)).toHaveLength(28);
  });
});

describe('csv', () => {
  it('quotes commas, quotes and line breaks, and parses its own output back', () => {
    const text = toCsv(['a', 'b'], [{ a: '618,大促', b: 'say "hi"' }, { a: 'x\ny', b: null }]);
    expect(text).toBe('\uFEFFa,b\r\n"618,大促","say ""hi"""\r\n"x\ny",\r\n');
    expect(parseCsv(text)).toEqual([['a', 'b'], ['618,大促', 'say "hi"'], ['x\ny', '']]);
  });
});
