/** Small DOM helpers shared by the pages (the only place that writes innerHTML, and only SafeHtml). */
import type { SafeHtml } from './html';

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The page has no element #${id}.`);
  return el as T;
}

export function render(target: Element, content: SafeHtml): void {
  target.innerHTML = content.value;
}

/** Sets a status line (an aria-live region) with a tone for its colour. */
export function announce(target: HTMLElement, message: string, tone: 'info' | 'success' | 'error' = 'info'): void {
  target.textContent = message;
  target.dataset.tone = tone;
  target.hidden = message === '';
}

/** The string value of a form field by name ('' when absent). */
export function fieldValue(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Shows per-field messages next to inputs (aria-invalid + aria-describedby) and returns true when there
 * were none. The first invalid field receives focus so keyboard and screen reader users land on it.
 */
export function showFieldErrors(form: HTMLFormElement, errors: Record<string, string>): boolean {
  for (const el of Array.from(form.querySelectorAll<HTMLElement>('[data-error-for]'))) {
    const name = el.dataset.errorFor!;
    const input = form.elements.namedItem(name);
    const message = errors[name] ?? '';
    el.textContent = message;
    el.hidden = message === '';
    if (input instanceof HTMLElement) {
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }
  const first = Object.keys(errors)[0];
  if (first) {
    const input = form.elements.namedItem(first);
    if (input instanceof HTMLElement) input.focus();
    else if (input instanceof RadioNodeList && input[0] instanceof HTMLElement) input[0].focus();
  }
  return first === undefined;
}

export function formatDateTime(value: string | number | undefined): string {
  if (value === undefined || value === '') return '';
  const date = typeof value === 'number' ? new Date(value) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
