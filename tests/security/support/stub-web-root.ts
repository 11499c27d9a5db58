/**
 * A web root for the local API Gateway in a temporary folder: each page folder with a stub index.html and main.js,
 * the home page and the stylesheet, enough to request every static route. Remove it with rmSync when done.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function stubWebRoot(prefix: string): string {
  const webRoot = mkdtempSync(path.join(tmpdir(), prefix));
  for (const page of ['admin', 'testcentre', 'callcenter', '_local']) {
    mkdirSync(path.join(webRoot, page));
    writeFileSync(path.join(webRoot, page, 'index.html'), `<!doctype html><title>${page}</title>`);
    writeFileSync(path.join(webRoot, page, 'main.js'), '');
  }
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>home</title>');
  writeFileSync(path.join(webRoot, 'styles.css'), 'body {}');
  return webRoot;
}
