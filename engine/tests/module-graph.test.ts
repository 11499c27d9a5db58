/**
 * The engine's module graph: engine/src is a pure library (it imports only its own files and the dependencies its
 * package.json declares: no fs, net, child processes, no code of the project around it), and no file of the
 * package imports itself around a loop (no cycles, type-only imports included).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ENGINE = path.resolve(__dirname, '..');
const SRC = path.join(ENGINE, 'src');
const manifest = JSON.parse(readFileSync(path.join(ENGINE, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/**
 * Node's built-ins the library may use: only computation, no I/O. node:crypto gives task tokens, States.UUID,
 * $uuid and the hashes of States.Hash and $hash.
 */
const PURE_BUILTINS = new Set(['node:crypto']);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a file imports or re-exports (type-only ones too) and every require(), as written. */
function specifiers(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, `${base}.ts`, path.join(base, 'index.ts')];
  const found = candidates.find(
    (candidate) => candidate.endsWith('.ts') && tsFiles(path.dirname(candidate)).includes(candidate),
  );
  if (!found) throw new Error(`${path.relative(ENGINE, from)} imports ${specifier}, which is no .ts file`);
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const relative = (file: string) => path.relative(ENGINE, file);

describe('engine/src', () => {
  const files = tsFiles(SRC);

  it('has its modules', () => {
    expect(files.map(relative)).toContain('src/index.ts');
    expect(files.length).toBeGreaterThan(50);
  });

  it('imports only its own files, its package.json dependencies and pure Node built-ins', () => {
    const foreign: string[] = [];
    for (const file of files) {
      for (const specifier of specifiers(file)) {
        if (specifier.startsWith('.')) {
          const target = resolveRelative(file, specifier);
          if (!target.startsWith(SRC + path.sep)) foreign.push(`${relative(file)} → ${specifier} (outside engine/src)`);
        } else if (specifier.startsWith('node:') || !Object.hasOwn(manifest.dependencies, packageName(specifier))) {
          if (!PURE_BUILTINS.has(specifier)) foreign.push(`${relative(file)} → ${specifier}`);
        }
      }
    }
    expect(foreign).toEqual([]);
  });
});

describe('the engine package', () => {
  it('has no import cycle (no two files import each other, directly or around a loop)', () => {
    const files = tsFiles(ENGINE);
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const local = specifiers(file)
        .filter((s) => s.startsWith('.'))
        .map((s) => resolveRelative(file, s));
      graph.set(file, [...new Set(local)]);
    }
    // Tarjan's strongly connected components: every component of more than one file (or a file importing itself) is a cycle.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let counter = 0;
    const visit = (file: string): void => {
      index.set(file, counter);
      low.set(file, counter);
      counter++;
      stack.push(file);
      onStack.add(file);
      for (const next of graph.get(file) ?? []) {
        if (!index.has(next)) {
          visit(next);
          low.set(file, Math.min(low.get(file)!, low.get(next)!));
        } else if (onStack.has(next)) {
          low.set(file, Math.min(low.get(file)!, index.get(next)!));
        }
      }
      if (low.get(file) === index.get(file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== file);
        if (component.length > 1 || graph.get(file)!.includes(file)) cycles.push(component.map(relative).sort());
      }
    };
    for (const file of files) if (!index.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
