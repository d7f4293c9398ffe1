import { describe, expect, it } from 'vitest';
import { monthlyPace, paceWindow } from './goal-pace.js';
import { type GoalProjectionInput, projectGoal, requiredMonthlyPayment } from './goal-projection.js';

const base: GoalProjectionInput = {
  current: 100_000,
  target: 1_000_000,
  annualYield: 0,
  targetDate: '2026-01-15',
  today: '2025-01-15',
  monthlyPace: 75_000,
};

describe('requiredMonthlyPayment against closed-form annuity values', () => {
  it.each([
    // r = 0: (T − B0) / n = (1,000,000 − 100,000) / 12 = 75,000 exactly.
    ['zero yield', 100_000, 1_000_000, 0, 12, 75_000],
    // r = 0.06/12 = 0.005, (1.005)^12 = 1.0616778118645, P = 1,200,000 · 0.005 / 0.0616778118645
    // = 97,279.7157 → rounded up to 97,280.
    ['6% from zero', 0, 1_200_000, 0.06, 12, 97_280],
    // r = 0.04/12, g = (1 + r)^24 = 1.0830708558, P = (2,000,000 − 500,000 · g) · r / (g − 1)
    // = (2,000,000 − 541,535.43) · 0.0033333 / 0.0830708558 = 58,470.7166 → 58,471.
    ['4% with a starting balance', 500_000, 2_000_000, 0.04, 24, 58_471],
    // r = 0.05/12, g = (1 + r)^12 = 1.0511618979, P = (1,100,000 − 1,051,161.90) · r / (g − 1)
    // = 48,838.10 · 0.00416667 / 0.0511618979 = 3,977.4148 → 3,978.
    ['5% with most of it saved', 1_000_000, 1_100_000, 0.05, 12, 3_978],
    // 1,000,000 · (1 + 0.05/12)^12 = 1,051,161.90 ≥ 1,050,000: the yield alone gets there.
    ['yield alone suffices', 1_000_000, 1_050_000, 0.05, 12, 0],
  ])('%s', (_name, current, target, annualYield, months, expected) => {
    expect(requiredMonthlyPayment(current, target, annualYield, months)).toBe(expected);
  });
});

describe('projectGoal', () => {
  it('zero yield, exactly on pace', () => {
    const p = projectGoal(base);
    expect(p).toMatchObject({
      remaining: 900_000,
      percent: 10,
      status: 'on_track',
      monthsRemaining: 12,
      requiredMonthlyContribution: 75_000,
      projectedCompletionDate: '2026-01-15',
      monthsToCompletion: 12,
    });
    expect(p.series).toHaveLength(13);
    expect(p.series[1]).toEqual({ date: '2025-02-15', balance: 175_000 });
    expect(p.series[12]).toEqual({ date: '2026-01-15', balance: 1_000_000 });
  });

  it('one minor unit a month short of the pace is off track, completing a month late', () => {
    // 900,000 / 74,999 = 12.0002 → 13 months.
    const p = projectGoal({ ...base, monthlyPace: 74_999 });
    expect(p.status).toBe('off_track');
    expect(p.monthsToCompletion).toBe(13);
    expect(p.projectedCompletionDate).toBe('2026-02-15');
  });

  it.each([
    // k = ⌈ln((T·r + c) / (B0·r + c)) / ln(1 + r)⌉ with r = 0.005:
    // ln((5,000 + 50,000) / (500 + 50,000)) / ln(1.005) = ln(1.0891089) / 0.0049875 = 17.1146 → 18.
    ['6% with a pace', 100_000, 1_000_000, 0.06, 50_000, 18],
    // r = 0.01: ln((10,000 + 10,000) / (0 + 10,000)) / ln(1.01) = 0.693147 / 0.00995033 = 69.6607 → 70.
    ['12% from zero', 0, 1_000_000, 0.12, 10_000, 70],
    // No contributions: 1,000,000 · (1 + 0.05/12)^k ≥ 1,050,000 → k = ⌈ln 1.05 / ln(1.0041667)⌉ = ⌈11.73⌉ = 12.
    ['yield alone', 1_000_000, 1_050_000, 0.05, 0, 12],
  ])('months to completion: %s', (_name, current, target, annualYield, pace, months) => {
    const p = projectGoal({
      current,
      target,
      annualYield,
      monthlyPace: pace,
      targetDate: null,
      today: '2025-01-31',
    });
    expect(p.monthsToCompletion).toBe(months);
    expect(p.status).toBe('no_target_date');
    expect(p.requiredMonthlyContribution).toBeNull();
    expect(p.monthsRemaining).toBeNull();
    expect(p.series).toHaveLength(months + 1);
  });

  it('the series compounds in floats and rounds each point', () => {
    // 100,001 → ·1.005 + 50,000 three times = 150,501.005; 201,253.510025; 252,259.7775751
    // (no value near a .5 tie, where float noise would decide the rounding).
    const p = projectGoal({
      ...base,
      current: 100_001,
      annualYield: 0.06,
      monthlyPace: 50_000,
      targetDate: '2025-04-15',
    });
    expect(p.series.map((point) => point.balance)).toEqual([100_001, 150_501, 201_254, 252_260]);
    for (const point of p.series) expect(Number.isInteger(point.balance)).toBe(true);
  });

  it('already reached', () => {
    const p = projectGoal({ ...base, current: 1_000_001 });
    expect(p).toMatchObject({
      status: 'reached',
      remaining: 0,
      requiredMonthlyContribution: 0,
      monthsToCompletion: 0,
      projectedCompletionDate: '2025-01-15',
      series: [{ date: '2025-01-15', balance: 1_000_001 }],
    });
  });

  it('a target date in the past is overdue; the projection still says when the pace gets there', () => {
    const p = projectGoal({ ...base, targetDate: '2024-12-01', monthlyPace: 100_000 });
    expect(p).toMatchObject({
      status: 'overdue',
      monthsRemaining: 0,
      requiredMonthlyContribution: null,
      monthsToCompletion: 9,
      projectedCompletionDate: '2025-10-15',
    });
    expect(p.series).toHaveLength(10);
  });

  it('no contributions yet and no yield: never, off track, a flat series to the date', () => {
    const p = projectGoal({ ...base, monthlyPace: 0 });
    expect(p.status).toBe('off_track');
    expect(p.projectedCompletionDate).toBeNull();
    expect(p.requiredMonthlyContribution).toBe(75_000);
    expect(new Set(p.series.map((point) => point.balance))).toEqual(new Set([100_000]));
  });

  it('withdrawals: never, even with a yield, and the series declines', () => {
    // 100,000 · 0.05/12 = 416.67 of interest a month cannot offset 5,000 of withdrawals.
    const p = projectGoal({ ...base, annualYield: 0.05, monthlyPace: -5_000 });
    expect(p.status).toBe('off_track');
    expect(p.monthsToCompletion).toBeNull();
    expect(p.series[1]?.balance).toBe(95_417);
    expect(p.series.at(-1)?.balance).toBeLessThan(100_000);
  });

  it('a date less than a month away needs the whole remainder in one contribution', () => {
    const p = projectGoal({ ...base, targetDate: '2025-02-01' });
    expect(p.monthsRemaining).toBe(0);
    expect(p.requiredMonthlyContribution).toBe(900_000);
    expect(p.status).toBe('off_track');
  });

  it('a pace that never gets there without a date charts a year', () => {
    const p = projectGoal({ ...base, targetDate: null, monthlyPace: 0 });
    expect(p.series).toHaveLength(13);
  });
});

describe('pace', () => {
  it.each([
    ['a goal older than the window', '2024-06-01', 3],
    ['no activity yet', null, 3],
    // 15 days counted as a whole month, never less.
    ['a goal two weeks old', '2025-04-01', 1],
    // 61 days / (365.2425 / 12) = 2.004148 months.
    ['a goal two months old', '2025-02-14', 61 / (365.2425 / 12)],
  ])('window months: %s', (_name, first, months) => {
    const window = paceWindow('2025-04-15', first);
    expect(window.from).toBe('2025-01-15');
    expect(window.months).toBeCloseTo(months, 10);
  });

  it('rounds to whole minor units', () => {
    // 60,000 / 2.004148 = 29,937.91 → 29,938.
    expect(monthlyPace(60_000, paceWindow('2025-04-15', '2025-02-14'))).toBe(29_938);
    expect(monthlyPace(-1, paceWindow('2025-04-15', null))).toBe(0);
  });
});
