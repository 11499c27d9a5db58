/**
 * Reading the definition text. AWS parses with Jackson and reports a parse error as INVALID_JSON_DESCRIPTION
 * with Jackson's wording, e.g. message "Unrecognized token 'not': was expecting (JSON String, Number, Array,
 * Object or token 'null', 'true' or 'false')" at "[Source: (String)\"not a definition\"; line: 1, column: 4]".
 */
import { error, SCHEMA_VALIDATION_FAILED, type Diagnostic } from './diagnostic';
import { isObject, type Json } from './walk';

type ParsedDefinition = { ok: true; definition: Json } | { ok: false; diagnostics: Diagnostic[] };

const NOT_AN_OBJECT = 'Definition must be a valid JSON object';

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function jsonError(text: string, cause: Error): Diagnostic {
  const word = /^\s*([A-Za-z_][\w-]*)/.exec(text);
  let message: string;
  let offset: number;
  if (word && !['true', 'false', 'null'].includes(word[1]!)) {
    // Jackson's message for a bare word where a value should be (JSON.parse words it differently).
    message = `Unrecognized token '${word[1]}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`;
    offset = word[0].length;
  } else {
    message = cause.message;
    const position = /position (\d+)/.exec(cause.message);
    offset = position ? Number(position[1]) : text.length;
  }
  const { line, column } = lineAndColumn(text, offset);
  return error(
    'INVALID_JSON_DESCRIPTION',
    message,
    `[Source: (String)${JSON.stringify(text)}; line: ${line}, column: ${column}]`,
  );
}

export function parseDefinition(definition: string | object): ParsedDefinition {
  let value: unknown = definition;
  if (typeof definition === 'string') {
    if (definition.trim() === '') return { ok: false, diagnostics: [error(SCHEMA_VALIDATION_FAILED, NOT_AN_OBJECT)] };
    try {
      value = JSON.parse(definition);
    } catch (cause) {
      return { ok: false, diagnostics: [jsonError(definition, cause as Error)] };
    }
  }
  if (!isObject(value)) return { ok: false, diagnostics: [error(SCHEMA_VALIDATION_FAILED, NOT_AN_OBJECT)] };
  return { ok: true, definition: value };
}
