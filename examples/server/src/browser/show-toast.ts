/// <reference lib="dom" />
import { h } from './element.js';

/** A message in the corner; alerts stay until dismissed, the rest go after a while. */
export function showToast(container: HTMLElement, message: string, kind: 'info' | 'alert' | 'error'): void {
  const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Dismiss' }, '×');
  const toast = h(
    'div',
    { class: `toast ${kind}`, role: kind === 'info' ? 'status' : 'alert' },
    h('span', {}, message),
    close,
  );
  close.addEventListener('click', () => toast.remove());
  container.prepend(toast);
  if (kind === 'info') setTimeout(() => toast.remove(), 6000);
}
