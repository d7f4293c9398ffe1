/// <reference lib="dom" />
import { formatMoney } from '@finkit/core';
import type { Goal, GoalProjection } from './api-types.js';
import { svg } from './element.js';

const width = 360;
const height = 160;
const pad = { left: 64, right: 12, top: 12, bottom: 22 };

/** Projected balance by month as a line, against the target as a dashed line (SVG, no library). */
export function goalProjectionChart(goal: Goal, projection: GoalProjection): SVGElement {
  const points =
    projection.series.length > 0 ? projection.series : [{ date: '', balance: projection.current }];
  const top = Math.max(projection.target, ...points.map((p) => p.balance)) * 1.1 || 1;
  const x = (i: number) =>
    pad.left + (points.length === 1 ? 0 : (i / (points.length - 1)) * (width - pad.left - pad.right));
  const y = (balance: number) => pad.top + (1 - balance / top) * (height - pad.top - pad.bottom);
  const money = (amount: number) =>
    formatMoney({ amount: Math.round(amount), currency: projection.currency });
  const line = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.balance).toFixed(1)}`)
    .join(' ');
  const last = points[points.length - 1] ?? { date: '', balance: 0 };
  const first = points[0] ?? last;
  return svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      class: 'chart',
      role: 'img',
      'aria-label': `${goal.name}: projected balance by month against the target of ${money(projection.target)}`,
    },
    svg('line', { x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0), class: 'axis' }),
    svg('line', {
      x1: pad.left,
      x2: width - pad.right,
      y1: y(projection.target),
      y2: y(projection.target),
      class: 'target',
    }),
    svg(
      'text',
      { x: pad.left - 6, y: y(projection.target) + 4, class: 'label', 'text-anchor': 'end' },
      money(projection.target),
    ),
    svg('text', { x: pad.left - 6, y: y(0) + 4, class: 'label', 'text-anchor': 'end' }, money(0)),
    svg('path', { d: line, class: 'projection' }),
    ...points.map((p, i) =>
      svg(
        'circle',
        { cx: x(i), cy: y(p.balance), r: points.length > 24 ? 1.5 : 2.5, class: 'point' },
        svg('title', {}, `${p.date}: ${money(p.balance)}`),
      ),
    ),
    svg('text', { x: pad.left, y: height - 6, class: 'label' }, first.date.slice(0, 7)),
    svg(
      'text',
      { x: width - pad.right, y: height - 6, class: 'label', 'text-anchor': 'end' },
      last.date.slice(0, 7),
    ),
  );
}
