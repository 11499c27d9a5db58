import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { contentType } from 'mime-types';
import type { PageHeaders } from './page-headers';

/**
 * The built web pages (`dist/web`), served from the API's port so the pages and the API share an origin.
 * A directory answers with its index.html (and `/admin` redirects to `/admin/` so relative URLs work);
 * nothing outside the web root is ever read. Every answer carries the pages' security headers (page-headers.ts).
 */

export type StaticResult = 'served' | 'not-found';

/** The file a URL path names under `root`, or undefined when the path escapes the root or is malformed. */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const resolvedRoot = path.resolve(root);
  const file = path.resolve(resolvedRoot, `.${path.posix.normalize(`/${decoded}`)}`);
  if (file !== resolvedRoot && !file.startsWith(resolvedRoot + path.sep)) return undefined;
  return file;
}

/** `search` is the request's query string with its `?` (or empty): a folder's redirect keeps it, as CloudFront's does. */
export async function serveStatic(
  root: string,
  urlPath: string,
  search: string,
  res: ServerResponse,
  isHead: boolean,
  securityHeaders: PageHeaders,
): Promise<StaticResult> {
  let file = resolveStaticPath(root, urlPath);
  if (!file) return 'not-found';
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    if (!urlPath.endsWith('/')) {
      // Built from the resolved directory, never from the raw path (which could read as //other-host). The query
      // string goes along unchanged: the Testing Centre link carries the student's TaskToken in it.
      const relative = path.relative(path.resolve(root), file).split(path.sep).map(encodeURIComponent).join('/');
      res.writeHead(301, { ...securityHeaders, Location: `/${relative}/${search}` }).end();
      return 'served';
    }
    file = path.join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) return 'not-found';
  res.writeHead(200, {
    ...securityHeaders,
    'Content-Type': contentType(path.extname(file)) || 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': 'no-cache',
  });
  if (isHead) {
    res.end();
    return 'served';
  }
  // pipeline settles when the client goes away mid-file too (pipe() would leave this request pending forever)
  await pipeline(createReadStream(file), res);
  return 'served';
}
