/**
 * What every page does first: read `window.APP_CONFIG` (from /config.js), fill the site header's
 * navigation, and report a page-level failure in plain words instead of a blank page.
 */
import { parseAppConfig, type AppConfig } from './app-config';
import { html } from './html';
import { render } from './dom';

declare global {
  interface Window {
    APP_CONFIG?: unknown;
  }
}

export type PageName = 'admin' | 'testcentre' | 'callcenter' | '_local';

const STAFF_LINKS: { page: PageName; href: string; text: string }[] = [
  { page: 'admin', href: '/admin/', text: 'Incidents' },
  { page: 'callcenter', href: '/callcenter/', text: 'Call centre' },
];

/**
 * Reads the configuration and fills `#site-nav`. Staff pages link to each other (and, on this machine, to
 * the dashboard); the Testing Centre, which students open, shows no staff links.
 */
export function startPage(current: PageName): AppConfig | undefined {
  let config: AppConfig;
  try {
    config = parseAppConfig(window.APP_CONFIG);
  } catch (error) {
    showPageError(`This page is not configured: ${(error as Error).message}`);
    return undefined;
  }
  const nav = document.getElementById('site-nav');
  if (nav && current !== 'testcentre') {
    const links = [
      ...STAFF_LINKS,
      ...(config.local ? [{ page: '_local' as const, href: '/_local/', text: 'Local dashboard' }] : []),
    ];
    render(
      nav,
      html`<ul>${links.map((l) => html`<li><a href="${l.href}"${l.page === current ? html` aria-current="page"` : ''}>${l.text}</a></li>`)}</ul>`,
    );
  }
  return config;
}

export function showPageError(message: string): void {
  const main = document.getElementById('main');
  if (main) render(main, html`<div class="status-line" data-tone="error" role="alert">${message}</div>`);
}
