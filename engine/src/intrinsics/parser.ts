/**
 * Parser for the intrinsic function call syntax of Amazon States Language
 * (https://states-language.net/#intrinsic-functions): `States.Name(arg, ...)` where an argument is a
 * string literal in single quotes (escapes `\'`, `\"`, `\{`, `\}`, `\\`; AWS accepts `\"` too and reads it as `"`,
 * e.g. `States.StringToJson('{\"a\": 1}')`), a number, `true`, `false`, `null`,
 * a path (`$`, `$.a.b`, `$['a'][0]`, `$$.Execution.Id`, `$var.field`) or a nested call.
 *
 * Written by hand: no library parses this small grammar, and the ASL validators that do (asl-validator's
 * asl-path-validator) only answer valid/invalid without an AST we could evaluate.
 */
import { INTRINSIC_FUNCTION_NAMES } from './names';

export type IntrinsicArgument =
  | {
      kind: 'string';
      value: string /** indexes of characters written as `\{` or `\}`: not placeholders */;
      escapedBraces: ReadonlySet<number>;
    }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'path'; path: string }
  | { kind: 'call'; call: IntrinsicCall };

export interface IntrinsicCall {
  name: string;
  args: IntrinsicArgument[];
}

/** A syntax error or an unknown function name: AWS rejects these when the state machine is created. */
export class IntrinsicSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntrinsicSyntaxError';
  }
}

const CALL_START = /^States\.[A-Za-z0-9]+\(/;

/** Does this `.$` value start with an intrinsic function call `States.X(`? */
export function isIntrinsic(value: string): boolean {
  return CALL_START.test(value.trimStart());
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseWhole(): IntrinsicCall {
    this.skipSpaces();
    const call = this.parseCall();
    this.skipSpaces();
    if (this.pos !== this.text.length) this.fail(`unexpected '${this.text.slice(this.pos)}' after the closing ')'`);
    return call;
  }

  private fail(message: string): never {
    throw new IntrinsicSyntaxError(`Invalid intrinsic function call ${this.text}: ${message}`);
  }

  private skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private parseCall(): IntrinsicCall {
    const match = /^States\.([A-Za-z0-9]+)\(/.exec(this.text.slice(this.pos));
    if (!match) this.fail(`expected a function call 'States.<Name>(' at position ${this.pos}`);
    const name = `States.${match[1]}`;
    if (!INTRINSIC_FUNCTION_NAMES.has(name)) this.fail(`unknown function ${name}`);
    this.pos += match[0].length;
    const args: IntrinsicArgument[] = [];
    this.skipSpaces();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return { name, args };
    }
    for (;;) {
      this.skipSpaces();
      args.push(this.parseArgument());
      this.skipSpaces();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === ')') {
        this.pos++;
        return { name, args };
      }
      this.fail(next === undefined ? `missing ')' to close ${name}(` : `expected ',' or ')' at position ${this.pos}`);
    }
  }

  private parseArgument(): IntrinsicArgument {
    const rest = this.text.slice(this.pos);
    const char = rest[0];
    if (char === undefined || char === ',' || char === ')') this.fail(`missing argument at position ${this.pos}`);
    if (char === "'") return this.parseString();
    if (char === '$') return { kind: 'path', path: this.parsePath() };
    if (rest.startsWith('States.')) return { kind: 'call', call: this.parseCall() };
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest);
    if (number) {
      this.pos += number[0].length;
      return { kind: 'number', value: Number(number[0]) };
    }
    for (const [word, arg] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (rest.startsWith(word) && !/[A-Za-z0-9_]/.test(rest[word.length] ?? '')) {
        this.pos += word.length;
        return arg;
      }
    }
    return this.fail(`unexpected argument at position ${this.pos}`);
  }

  private parseString(): IntrinsicArgument {
    this.pos++; // opening quote
    let value = '';
    const escapedBraces = new Set<number>();
    while (this.pos < this.text.length) {
      const char = this.text[this.pos]!;
      if (char === "'") {
        this.pos++;
        return { kind: 'string', value, escapedBraces };
      }
      if (char === '\\') {
        const escaped = this.text[this.pos + 1];
        if (escaped === undefined || !'\'"{}\\'.includes(escaped))
          this.fail(`open escape '\\' at position ${this.pos}`);
        if (escaped === '{' || escaped === '}') escapedBraces.add(value.length);
        value += escaped;
        this.pos += 2;
        continue;
      }
      value += char;
      this.pos++;
    }
    return this.fail('unterminated string literal');
  }

  /** A path runs to the next ',' or ')' that is not inside brackets or a quoted bracket key. */
  private parsePath(): string {
    const start = this.pos;
    let depth = 0;
    let quote: string | undefined;
    while (this.pos < this.text.length) {
      const char = this.text[this.pos]!;
      if (quote) {
        if (char === '\\') this.pos++;
        else if (char === quote) quote = undefined;
      } else if (char === "'" || char === '"') {
        if (depth === 0) this.fail(`unexpected quote in path at position ${this.pos}`);
        quote = char;
      } else if (char === '[') depth++;
      else if (char === ']') depth--;
      else if (depth === 0 && (char === ',' || char === ')' || /\s/.test(char))) break;
      this.pos++;
    }
    if (quote || depth !== 0) this.fail(`unterminated path starting at position ${start}`);
    const path = this.text.slice(start, this.pos);
    if (!/^\$\$?(?:[A-Za-z_][A-Za-z0-9_]*)?(?:\.[^.[\]]+|\[[^\]]*\])*$/.test(path)) this.fail(`invalid path ${path}`);
    return path;
  }
}

/**
 * Parses an intrinsic function call. Throws IntrinsicSyntaxError for bad syntax or an unknown function,
 * which AWS rejects at creation time; argument counts and types are checked when the call runs, as AWS does.
 */
export function parseIntrinsic(expression: string): IntrinsicCall {
  return new Parser(expression).parseWhole();
}
