import { parseJsonToNameMaps } from '../name-map';
import { MappingTemplateError } from './velocity';

/**
 * Apache Commons Lang's StringEscapeUtils.escapeJavaScript, which `$util.escapeJavaScript` is: besides `"`
 * and `\` it escapes `'` (as `\'`, not valid JSON, hence the documented `.replaceAll("\\'","'")`) and `/`,
 * writes control characters as \b \t \n \f \r or \u00XX and every non-ASCII character as \uXXXX.
 * Hand-written: JSON.stringify differs on exactly these points, and templates depend on them.
 */
export function escapeJavaScript(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code > 0xffff) {
      // Outside the BMP Java works on UTF-16 units: two \uXXXX escapes.
      for (let i = 0; i < char.length; i++)
        out += `\\u${char.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (code > 0x7f) {
      out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (code < 32) {
      const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += named[code] ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (char === '"' || char === "'" || char === '\\' || char === '/') {
      out += `\\${char}`;
    } else {
      out += char;
    }
  }
  return out;
}

/** java.net.URLEncoder (UTF-8): letters, digits and `.-*_` stay, a space is `+`, everything else %XX. */
function urlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function urlDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new MappingTemplateError(`$util.urlDecode: ${JSON.stringify(text)} is not URL-encoded`);
  }
}

/** `$util`: the helpers API Gateway gives mapping templates. */
export const util = {
  escapeJavaScript: (value: unknown) => escapeJavaScript(value === null || value === undefined ? '' : String(value)),
  /** The text's JSON value, its objects name maps (the text is often the client's: a body or a cause). */
  parseJson(text: unknown): unknown {
    try {
      return parseJsonToNameMaps(String(text));
    } catch (error) {
      throw new MappingTemplateError(`$util.parseJson: ${(error as Error).message}`);
    }
  },
  urlEncode: (text: unknown) => urlEncode(String(text)),
  urlDecode: (text: unknown) => urlDecode(String(text)),
  base64Encode: (text: unknown) => Buffer.from(String(text), 'utf8').toString('base64'),
  base64Decode: (text: unknown) => Buffer.from(String(text), 'base64').toString('utf8'),
};
