/** Paths against `$`, `$$` and `$variables`, with AWS's error texts for the fields that hold a path. */
import { StatesError } from '../errors/states-error';
import { compilePath, type CompiledPath } from './compiled-path';
import type { EvalEnv } from './env';
import { PathNotFoundError } from './path-not-found';
import { readRelative } from './read';

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
  return readWordedPath(source, env, (error) => `Invalid path '${source}' : ${error.message}`);
}

/**
 * A path field that AWS words in its own terms when the path selects nothing (Fail's ErrorPath and CausePath,
 * Wait's SecondsPath): a States.Runtime failure with the cause `missing` gives.
 */
export function readWordedPath(
  source: string,
  env: EvalEnv,
  missing: (notFound: PathNotFoundError) => string,
): unknown {
  try {
    return readPath(compilePath(source), env);
  } catch (error) {
    if (error instanceof PathNotFoundError) throw new StatesError('States.Runtime', missing(error));
    throw error;
  }
}
