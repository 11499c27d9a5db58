import { buildFunction } from '../../scripts/lib/build-functions';
import { esbuildFunctions } from '../../scripts/lib/esbuild-options';
import { loadTemplate, PROJECT_ROOT } from '../../local/template/load';

/** Builds the named functions of template.yaml (their template esbuild settings) into `outRoot`, as npm run build does. */
export async function buildTemplateFunctions(outRoot: string, logicalIds: string[]): Promise<void> {
  const functions = esbuildFunctions(loadTemplate(), PROJECT_ROOT).filter((fn) => logicalIds.includes(fn.logicalId));
  const missing = logicalIds.filter((id) => !functions.some((fn) => fn.logicalId === id));
  if (missing.length > 0) throw new Error(`template.yaml has no esbuild function ${missing.join(', ')}`);
  await Promise.all(functions.map((fn) => buildFunction(fn, outRoot)));
}

/**
 * Waits for an effect another process produces (a workflow step, an email): polls `probe` until it returns a
 * value, and fails naming `what` after `timeoutMs`.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
