/**
 * JSONPath-mode evaluation: paths against `$`, `$$` and `$variables`, payload templates (Parameters,
 * ResultSelector, ItemSelector, Assign with `.$` keys and intrinsic functions), with AWS's error texts.
 */
import { evaluateIntrinsic, isIntrinsic } from './collaborators';
import { StatesError } from './errors';
import type { EvalEnv } from './eval-env';
import { isPlainObject, setOwn, toJson } from './json';
import { compilePath, PathNotFoundError, readRelative, type CompiledPath } from './jsonpath';

/** The value a path's root refers to in this environment. */
function rootValue(path: CompiledPath, env: EvalEnv): unknown {
  switch (path.root.kind) {
    case 'data':
      return env.data;
    case 'context':
      return env.context();
    case 'variable':
      if (!env.vars.has(path.root.name)) throw new PathNotFoundError(`No results for path: $${path.root.name}`);
      return env.vars.get(path.root.name);
  }
}

/** Reads a path; PathNotFoundError when it selects nothing. */
export function readPath(path: CompiledPath, env: EvalEnv): unknown {
  const root = rootValue(path, env);
  if (path.source === '$' || path.source === '$$' || path.relative === '$') return root;
  return readRelative(path, root);
}

/** InputPath / OutputPath / ItemsPath / *Path fields: AWS's "Invalid path" States.Runtime failure. */
export function readFieldPath(source: string, env: EvalEnv): unknown {
  try {
    return readPath(compilePath(source), env);
  } catch (error) {
    if (error instanceof PathNotFoundError) {
      throw new StatesError('States.Runtime', `Invalid path '${source}' : ${error.message}`);
    }
    throw error;
  }
}

// ---- payload templates -------------------------------------------------------------------------------

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
