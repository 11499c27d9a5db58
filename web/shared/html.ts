/**
 * Escaped HTML by construction. Pages build markup with the `html` tag: every interpolated value is
 * escaped unless it is itself `SafeHtml` made by this module, so a student's name or a guest's email can
 * never become markup. Written by hand because it is twenty lines and a templating framework is not wanted.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text made safe inside an element or a quoted attribute value. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

function fragment(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(fragment).join('');
  return escapeHtml(value);
}

/** Tagged template: `html\`<td>${name}</td>\``. Arrays are joined; null, undefined and false render nothing. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += fragment(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** An http(s) URL for an href, or undefined: anything else (javascript:, data:, ...) is never linked. */
export function safeHttpUrl(candidate: string, base?: string): string | undefined {
  try {
    const url = new URL(candidate, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Plain text with its http(s) URLs turned into links (everything else escaped). */
export function linkify(text: string): SafeHtml {
  const parts = text.split(/(https?:\/\/[^\s<>"']+)/g);
  return html`${parts.map((part, i) => {
    const url = i % 2 === 1 ? safeHttpUrl(part) : undefined;
    return url ? html`<a href="${url}">${part}</a>` : part;
  })}`;
}
