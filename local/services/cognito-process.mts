/**
 * The local Cognito service's own process: cognito-local 5.3.0 (the Cognito user pools API: CreateUserPool, the
 * app clients, groups, AdminCreateUser, InitiateAuth with USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, and each
 * pool's JWKS at /<poolId>/.well-known/jwks.json), with its data in the folder given, behind a front that refuses a
 * request whose Host is not this machine's (DNS rebinding; local/request-guard.ts). Cross-origin calls stay allowed,
 * as on AWS: the admin and call-centre pages sign in from the API's origin.
 *
 * cognito-local reads its configuration from ./.cognito/config.json and keeps its pools under ./.cognito/db, so this
 * process works in the data folder. Its tokens' issuer is `<IssuerDomain>/<poolId>`: the endpoint the local cloud
 * hands out (http://localhost:<port>), which is what the API Gateway emulator checks `iss` against.
 *
 * It pulls in the AWS SDK for JavaScript v2 (for Lambda triggers and KMS, neither used here), which prints an
 * end-of-support notice when loaded; the notice concerns that SDK, not our code, so it is silenced with the SDK's own
 * switch (AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE) before cognito-local is imported.
 *
 * Run by cognito.ts under Node 24 (type stripping): node cognito-process.mts <port> <data folder>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import path from 'node:path';

// A .ts file, loaded by Node's type stripping (it imports nothing but types); its types come from the import below.
const guard = (await import(new URL('../request-guard.ts', import.meta.url).href)) as typeof import('../request-guard');

const port = Number(process.argv[2]);
const dataDir = process.argv[3];

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';

mkdirSync(path.join(dataDir, '.cognito', 'db'), { recursive: true });
writeFileSync(
  path.join(dataDir, '.cognito', 'config.json'),
  JSON.stringify({
    // Loopback only; the tokens name the endpoint the local cloud hands out.
    ServerConfig: { port, hostname: '127.0.0.1', development: false, https: false },
    TokenConfig: { IssuerDomain: `http://localhost:${port}` },
  }),
);
process.chdir(dataDir);

// Ctrl-C in a terminal signals the whole process group: the local cloud stops this process itself (SIGTERM).
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
// The local cloud went away (even by kill -9): the service has no one to serve.
process.on('disconnect', () => process.exit());

try {
  const { default: pino } = await import('pino');
  const { createDefaultServer } = (await import('cognito-local')).default as typeof import('cognito-local');
  // Warnings and errors only: one line per request would drown the local cloud's own output.
  const server = await createDefaultServer(pino({ level: 'warn' }));
  const listening = (await server.start()) as Server;
  // The front: cognito-local's express app runs only for requests whose Host is this machine's.
  const app = listening.listeners('request')[0] as RequestListener;
  listening.removeAllListeners('request');
  listening.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const refusal = guard.hostRefusal(request);
    if (refusal) return guard.sendRefusal(response, refusal);
    app(request, response);
  });
  process.send?.({ type: 'ready' });
} catch (error) {
  process.send?.({ type: 'error', message: (error as Error).message });
  process.exit(1);
}
