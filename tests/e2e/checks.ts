/** Small assertions and page checks for the browser scenarios. */
import type { Page } from 'playwright-core';

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Polls `probe` until it returns a value (not undefined), or fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/**
 * Structural accessibility checks that need no library: one h1, a main landmark, every form control
 * labelled, every button named, no duplicate ids, and nothing wider than the viewport.
 */
export async function pageProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const visible = (el: Element) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed';
    if (document.querySelectorAll('h1').length !== 1) problems.push(`${document.querySelectorAll('h1').length} h1 elements`);
    if (!document.querySelector('main')) problems.push('no main landmark');
    if (!document.documentElement.lang) problems.push('no lang on <html>');
    for (const control of Array.from(document.querySelectorAll('input, select, textarea'))) {
      const el = control as HTMLInputElement;
      if (el.type === 'hidden' || !visible(el)) continue;
      if (el.labels?.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) problems.push(`unlabelled ${el.tagName.toLowerCase()} ${el.name || el.id}`);
    }
    for (const button of Array.from(document.querySelectorAll('button, a[href]'))) {
      if (!visible(button)) continue;
      if (!(button.textContent ?? '').trim() && !button.getAttribute('aria-label')) problems.push(`unnamed ${button.tagName.toLowerCase()}`);
    }
    const ids = Array.from(document.querySelectorAll('[id]')).map((el) => el.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) problems.push(`duplicate id ${duplicate}`);
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
      problems.push(`page is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px viewport`);
    }
    return problems;
  });
}
