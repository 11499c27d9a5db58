/**
 * The SES capture's own process: aws-ses-v2-local (the SES v1 and v2 APIs, `GET /store`, and the web viewer),
 * plus persistence of the captured emails to a JSON-lines file so the outbox survives a restart like every other
 * piece of local state (an exam link emailed before a restart must still be there after it).
 * Run by ses-capture.ts under Node 24 (type stripping): node ses-capture-process.mts <port> [<store file>]
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Email = { messageId: string; at: number; [field: string]: unknown };
interface StoreModule {
  saveEmail(email: Email): void;
  clearStore(): void;
}

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

// The local cloud went away (even by kill -9): the capture has no one to serve.
process.on('disconnect', () => process.exit());

try {
  // Loopback only (the package's default is every interface): the captured emails carry exam links.
  const listening = (await server({ port, host: '127.0.0.1' })) as {
    prependListener(
      event: 'request',
      listener: (request: unknown, response: { setHeader(name: string, value: string): void }) => void,
    ): void;
  };
  // The local dashboard (another origin) reads GET /store from the browser.
  listening.prependListener('request', (_request, response) => response.setHeader('Access-Control-Allow-Origin', '*'));
  process.send?.({ type: 'ready' });
} catch (error) {
  process.send?.({ type: 'error', message: (error as Error).message });
  process.exit(1);
}
