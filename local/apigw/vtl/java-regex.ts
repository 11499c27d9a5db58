/**
 * Java's regular expressions and replacement strings as JavaScript ones, for the String methods API Gateway
 * templates call (`replaceAll`, `replaceFirst`, `matches`, `split`): their arguments are Java regexes
 * (API Gateway runs Apache Velocity on the JVM). The two dialects share nearly all of what templates use;
 * the differences handled here are the inline flags `(?i)`/`(?s)`/`(?m)`, possessive quantifiers and
 * `\Q…\E` quoting, and `$1`/`\$` in replacements. Hand-written because no library translates Java regexes.
 */

export class JavaRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JavaRegexError';
  }
}

const cache = new Map<string, RegExp>();

/** A global JavaScript RegExp equivalent to the Java pattern (throws JavaRegexError when it has no equivalent). */
export function javaRegex(pattern: string, anchoredWhole = false): RegExp {
  const key = `${anchoredWhole ? 'whole' : 'find'}:${pattern}`;
  const cached = cache.get(key);
  if (cached) {
    cached.lastIndex = 0;
    return cached;
  }
  let flags = 'gu';
  let source = pattern;
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const flag of inline[1]) {
      if (flag === 'x') throw new JavaRegexError(`regex ${pattern}: the (?x) flag is not supported locally`);
      if (!flags.includes(flag)) flags += flag;
    }
  }
  // \Q...\E quotes a literal run in Java.
  source = source.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_m, literal: string) =>
    literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'),
  );
  // Possessive quantifiers (a*+, a++, a?+) behave like greedy ones for the matches templates make.
  source = source.replace(/([*+?}])\+/g, '$1');
  if (anchoredWhole) source = `^(?:${source})$`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (error) {
    try {
      // Java accepts identity escapes (\', \") that the u flag rejects.
      regex = new RegExp(source, flags.replace('u', ''));
    } catch {
      throw new JavaRegexError(`regex ${pattern}: ${(error as Error).message}`);
    }
  }
  cache.set(key, regex);
  return regex;
}

/**
 * A Java replacement string (`$1` a group, `\x` the literal x) as a JavaScript replacer function,
 * so that no JavaScript replacement pattern (`$&`, `$<name>`) is interpreted by accident.
 */
export function javaReplacement(replacement: string): (match: string, ...groups: unknown[]) => string {
  return (match, ...rest) => {
    const groups = rest.slice(
      0,
      rest.findIndex((item) => typeof item === 'number'),
    );
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i];
      if (c === '\\' && i + 1 < replacement.length) {
        out += replacement[++i];
      } else if (c === '$') {
        const digits = /^\d+/.exec(replacement.slice(i + 1));
        if (!digits) throw new JavaRegexError(`replacement ${replacement}: illegal group reference`);
        const group = Number(digits[0]);
        if (group > groups.length) throw new JavaRegexError(`replacement ${replacement}: no group ${group}`);
        out += group === 0 ? match : String(groups[group - 1] ?? '');
        i += digits[0].length;
      } else {
        out += c;
      }
    }
    return out;
  };
}

/** Java's String.split(regex): like JavaScript's, but trailing empty strings are removed. */
export function javaSplit(text: string, pattern: string): string[] {
  if (text === '') return [''];
  const parts = text.split(javaRegex(pattern));
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
