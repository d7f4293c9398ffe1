import { formatMoney, type Money } from '@finkit/core';

export interface RenderedNotification {
  title: string;
  body: string;
  html: string;
}

/** The reader's locale; amounts keep their own currency. */
export interface TemplateContext {
  locale: string;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Wraps plain paragraphs in minimal HTML, escaping every piece of user data. */
export function toHtml(title: string, paragraphs: readonly string[]): string {
  return `<h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}`;
}

const render = (title: string, ...paragraphs: string[]): RenderedNotification => ({
  title,
  body: paragraphs.join('\n\n'),
  html: toHtml(title, paragraphs),
});

const percentOf = (locale: string, percent: number): string =>
  new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(percent / 100);

/** Titles and bodies for what finkit tells users. Amounts are integer minor units in their currency. */
export const notificationTemplates = {
  budgetThresholdCrossed(
    input: { budgetName: string; threshold: number; spent: Money; budgeted: Money },
    { locale }: TemplateContext,
  ): RenderedNotification {
    const over = input.threshold >= 100;
    return render(
      `${input.budgetName}: ${percentOf(locale, input.threshold)} of budget ${over ? 'reached' : 'used'}`,
      `You have spent ${formatMoney(input.spent, locale)} of your ${formatMoney(input.budgeted, locale)} ${input.budgetName} budget this period.`,
    );
  },

  goalMilestone(
    input: { goalName: string; percent: number; saved: Money; target: Money },
    { locale }: TemplateContext,
  ): RenderedNotification {
    return input.percent >= 100
      ? render(
          `${input.goalName}: goal reached`,
          `You saved ${formatMoney(input.target, locale)}. Well done!`,
        )
      : render(
          `${input.goalName}: ${percentOf(locale, input.percent)} saved`,
          `You have saved ${formatMoney(input.saved, locale)} of ${formatMoney(input.target, locale)}.`,
        );
  },

  goalOffTrack(
    input: { goalName: string; targetDate: string | null },
    _context: TemplateContext,
  ): RenderedNotification {
    return render(
      `${input.goalName} is off track`,
      input.targetDate === null
        ? 'At your current pace this goal will take longer than planned.'
        : `At your current pace you will not reach this goal by ${input.targetDate}.`,
      'Adding a little more each month gets it back on track.',
    );
  },

  connectionReauthRequired(
    input: { institutionName: string | null },
    _context: TemplateContext,
  ): RenderedNotification {
    const bank = input.institutionName ?? 'your bank';
    return render(
      `Reconnect ${bank}`,
      `${bank} needs you to sign in again before we can fetch new transactions.`,
    );
  },

  largeTransaction(
    input: { amount: Money; description: string; date: string },
    { locale }: TemplateContext,
  ): RenderedNotification {
    const direction = input.amount.amount < 0 ? 'spent' : 'received';
    const absolute = { amount: Math.abs(input.amount.amount), currency: input.amount.currency };
    return render(
      `Large transaction: ${formatMoney(absolute, locale)}`,
      `You ${direction} ${formatMoney(absolute, locale)} (${input.description}) on ${input.date}.`,
    );
  },

  weeklySummary(
    input: { weekStart: string; weekEnd: string; inflow: Money; outflow: Money; count: number },
    { locale }: TemplateContext,
  ): RenderedNotification {
    const spent = { amount: Math.abs(input.outflow.amount), currency: input.outflow.currency };
    return render(
      `Your week: ${formatMoney(spent, locale)} spent`,
      `From ${input.weekStart} to ${input.weekEnd} you spent ${formatMoney(spent, locale)} and received ${formatMoney(input.inflow, locale)} across ${input.count} transactions.`,
    );
  },

  dailyDigest(
    input: { date: string; items: readonly { title: string; body: string }[] },
    _context: TemplateContext,
  ): RenderedNotification {
    const title = `Your daily summary: ${input.items.length} update${input.items.length === 1 ? '' : 's'}`;
    const lines = input.items.map((item) => `${item.title} — ${item.body}`);
    return {
      title,
      body: [`For ${input.date}:`, ...lines.map((line) => `• ${line}`)].join('\n'),
      html: `<h1>${escapeHtml(title)}</h1><ul>${input.items
        .map((item) => `<li><strong>${escapeHtml(item.title)}</strong> ${escapeHtml(item.body)}</li>`)
        .join('')}</ul>`,
    };
  },
};
