/**
 * The SES capture's own process: aws-ses-v2-local (the SES v1 and v2 APIs, `GET /store`, and the web viewer),
 * plus persistence of the captured emails to a JSON-lines file so the outbox survives a restart like every other
 * piece of local state (an exam link emailed before a restart must still be there after it), and a front that
 * every request passes first:
 *   - no web page may reach it (local/request-guard.ts): a Host that is not this machine's (DNS rebinding) and a
 *     request from another origin (a form posting to /clear-store, a fetch of /store, a preflight) are refused; its
 *     own viewer, on its own origin, reads, downloads and clears as before;
 *   - `GET /get-emlContent` (the viewer's download) is answered here unless its messageId names a stored email:
 *     aws-ses-v2-local 2.10.2 answers such a request 400 and then again, from a rejected promise, which throws
 *     ERR_HTTP_HEADERS_SENT outside any handler and ends the process.
 * Run by ses-capture.ts under Node 24 (type stripping): node ses-capture-process.mts <port> [<store file>]
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';

type Email = { messageId: string; at: number; [field: string]: unknown };
interface StoreModule {
  saveEmail(email: Email): void;
  clearStore(): void;
  getStoreReadonly(): { emails: Email[] };
}
// A .ts file, loaded by Node's type stripping (it imports nothing but types); its types come from the import below.
const guard = (await import(new URL('../request-guard.ts', import.meta.url).href)) as typeof import('../request-guard');

const port = Number(process.argv[2]);
const storeFile = process.argv[3];

// Both are CommonJS: their exports objects arrive as `default`, the same objects the server's own modules use.
const server = (
  (await import('aws-ses-v2-local')).default as unknown as {
    default: (config: { port: number; host?: string }) => Promise<unknown>;
  }
).default;
const store = (await import('aws-ses-v2-local/dist/store.js')).default as unknown as StoreModule;

if (storeFile) {
  mkdirSync(path.dirname(storeFile), { recursive: true });
  let saved: Email[] = [];
  try {
    saved = readFileSync(storeFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Email);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const email of saved) store.saveEmail(email);
  // The server's routes call store.saveEmail / store.clearStore through this exports object, so wrapping them
  // here sees every email the capture accepts and every clear of the outbox.
  const saveEmail = store.saveEmail;
  store.saveEmail = (email) => {
    saveEmail(email);
    appendFileSync(storeFile, `${JSON.stringify(email)}\n`);
  };
  const clearStore = store.clearStore;
  store.clearStore = () => {
    clearStore();
    writeFileSync(storeFile, '');
  };
}

/**
 * Answers `GET /get-emlContent` itself when its messageId is missing, repeated, empty or names no stored email (the
 * cases aws-ses-v2-local answers twice and then dies of); true when it did.
 */
function answeredEmlContent(request: IncomingMessage, response: ServerResponse): boolean {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname !== '/get-emlContent') return false;
  const ids = url.searchParams.getAll('messageId');
  const refuse = (status: number, message: string) => {
    const text = JSON.stringify({ message });
    response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    response.end(text);
    return true;
  };
  if (ids.length !== 1 || ids[0] === '') return refuse(400, 'Give one messageId: GET /get-emlContent?messageId=<id>');
  if (!store.getStoreReadonly().emails.some((email) => email.messageId === ids[0]))
    return refuse(404, `No captured email has the messageId '${ids[0]}'`);
  return false;
}

// Ctrl-C in a terminal (and its closing) signals the whole process group: the local cloud stops this process itself
// once nothing uses it (SIGTERM), so these must not end it first, which its supervision would take for a crash.
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
// The local cloud went away (even by kill -9): the capture has no one to serve.
process.on('disconnect', () => process.exit());

try {
  // Loopback only (the package's default is every interface): the captured emails carry exam links.
  const listening = (await server({ port, host: '127.0.0.1' })) as import('node:http').Server;
  // The front: the package's express app runs only for requests it lets through. Put in place before this turn
  // of the event loop ends, so before the first request is read.
  const app = listening.listeners('request')[0] as RequestListener;
  listening.removeAllListeners('request');
  listening.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const refusal = guard.hostRefusal(request) ?? guard.crossOriginRefusal(request);
    if (refusal) return guard.sendRefusal(response, refusal);
    if (answeredEmlContent(request, response)) return;
    app(request, response);
  });
  process.send?.({ type: 'ready' });
} catch (error) {
  process.send?.({ type: 'error', message: (error as Error).message });
  process.exit(1);
}
