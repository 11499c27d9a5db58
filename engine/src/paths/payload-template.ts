/**
 * Payload templates (Parameters, ResultSelector, ItemSelector, Assign in JSONPath states): JSON whose `<key>.$`
 * entries hold a path or an intrinsic function call, compiled once per definition object, with AWS's error texts.
 */
import { StatesError } from '../errors/states-error';
import { evaluateIntrinsic } from '../intrinsics/evaluate';
import { isIntrinsic } from '../intrinsics/parser';
import { isPlainObject, setOwn } from '../json/objects';
import { toJson } from '../json/text';
import { compilePath, type CompiledPath } from './compiled-path';
import type { EvalEnv } from './env';
import { PathNotFoundError } from './path-not-found';
import { readPath } from './evaluate';

type Template =
  | { kind: 'literal'; value: unknown }
  | { kind: 'object'; entries: Array<[string, Template]> }
  | { kind: 'array'; items: Template[] }
  | { kind: 'path'; field: string; path: CompiledPath }
  | { kind: 'intrinsic'; field: string; expression: string };

const compiled = new WeakMap<object, Template>();

/** Compiles a template once per definition object; literal sub-trees stay shared (the engine never mutates values). */
function compileTemplate(value: unknown): Template {
  if (Array.isArray(value)) {
    const items = value.map(compileTemplate);
    return items.every((t) => t.kind === 'literal') ? { kind: 'literal', value } : { kind: 'array', items };
  }
  if (!isPlainObject(value)) return { kind: 'literal', value };
  const cached = compiled.get(value);
  if (cached) return cached;
  const entries: Array<[string, Template]> = [];
  let dynamic = false;
  for (const [key, raw] of Object.entries(value)) {
    if (key.endsWith('.$') && typeof raw === 'string') {
      const field = key.slice(0, -2);
      dynamic = true;
      if (raw.startsWith('$')) entries.push([field, { kind: 'path', field: key, path: compilePath(raw) }]);
      else if (isIntrinsic(raw)) entries.push([field, { kind: 'intrinsic', field: key, expression: raw }]);
      else entries.push([field, { kind: 'path', field: key, path: compilePath(raw) }]);
    } else {
      const child = compileTemplate(raw);
      if (child.kind !== 'literal') dynamic = true;
      entries.push([key, child]);
    }
  }
  const template: Template = dynamic ? { kind: 'object', entries } : { kind: 'literal', value };
  compiled.set(value, template);
  return template;
}

function pathFailure(field: string, path: CompiledPath, env: EvalEnv): StatesError {
  const source = path.root.kind === 'context' ? env.context() : path.root.kind === 'data' ? env.data : undefined;
  return new StatesError(
    'States.Runtime',
    `The JSONPath '${path.source}' specified for the field '${field}' could not be found in the input '${toJson(source)}'`,
  );
}

/** Resolves a path argument of an intrinsic function. */
function intrinsicResolver(env: EvalEnv, field: string): (path: string) => unknown {
  return (source: string) => {
    const path = compilePath(source);
    try {
      return readPath(path, env);
    } catch (error) {
      if (error instanceof PathNotFoundError) throw pathFailure(field, path, env);
      throw error;
    }
  };
}

function evaluateTemplate(template: Template, env: EvalEnv): unknown {
  switch (template.kind) {
    case 'literal':
      return template.value;
    case 'array':
      return template.items.map((item) => evaluateTemplate(item, env));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of template.entries) setOwn(out, key, evaluateTemplate(child, env));
      return out;
    }
    case 'path':
      try {
        return readPath(template.path, env);
      } catch (error) {
        if (error instanceof PathNotFoundError) throw pathFailure(template.field, template.path, env);
        throw error;
      }
    case 'intrinsic':
      return evaluateIntrinsic(template.expression, intrinsicResolver(env, template.field));
  }
}

/** Evaluates a payload template (Parameters, ResultSelector, ItemSelector, Assign). */
export function evaluatePayload(template: unknown, env: EvalEnv): unknown {
  return evaluateTemplate(compileTemplate(template), env);
}
