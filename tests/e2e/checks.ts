/** Small assertions and page checks for the browser scenarios. */
import type { Page } from 'playwright-core';
import { eventually as pollUntil } from '../support/eventually';

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Polls `probe` until it returns a value (not undefined), or fails with `what` after 30 s: a probe may reload a page. */
export const eventually = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> =>
  pollUntil(what, probe, { timeoutMs: 30_000, intervalMs: 300 });

/**
 * Structural accessibility checks that need no library: one h1, a main landmark, every form control
 * labelled, every button and link named, no duplicate ids, and nothing wider than the viewport.
 * Plain JavaScript text: tsx's compiled functions would reference its helpers, which the page lacks.
 */
const PAGE_PROBLEMS = `((viewportWidth) => {
  const problems = [];
  const visible = (el) => el.offsetParent !== null || getComputedStyle(el).position === 'fixed';
  const h1s = document.querySelectorAll('h1').length;
  if (h1s !== 1) problems.push(h1s + ' h1 elements');
  if (!document.querySelector('main')) problems.push('no main landmark');
  if (!document.documentElement.lang) problems.push('no lang on <html>');
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || !visible(el)) continue;
    if (el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) problems.push('unlabelled ' + el.tagName.toLowerCase() + ' ' + (el.name || el.id));
  }
  for (const el of document.querySelectorAll('button, a[href]')) {
    if (visible(el) && !(el.textContent || '').trim() && !el.getAttribute('aria-label')) problems.push('unnamed ' + el.tagName.toLowerCase());
  }
  const ids = Array.from(document.querySelectorAll('[id]'), (el) => el.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) problems.push('duplicate id ' + duplicate);
  // Against the width the page was opened at: under phone emulation window.innerWidth grows with wide content.
  if (document.documentElement.scrollWidth > viewportWidth + 1) {
    problems.push('page is ' + document.documentElement.scrollWidth + 'px wide in a ' + viewportWidth + 'px viewport');
  }
  return problems;
})`;

export function pageProblems(page: Page, viewportWidth: number): Promise<string[]> {
  return page.evaluate(`${PAGE_PROBLEMS}(${viewportWidth})`) as Promise<string[]>;
}
