/**
 * `tsx engine/tests/conformance/add-histories.ts <localstack checkout>`: gives each case its whole recorded
 * execution history (`history`, README.md), read from the LocalStack snapshot entry its `source` names
 * (`get_execution_history`, `exec_hist_resp_N`, ...). The checkout is LocalStack at the commit the cases name
 * (8b9a79f05846835cf4dff63ab7eefdde9df83783); only `tests/aws/services/stepfunctions/` is read. Cases whose source
 * is a Choice case list (`cases[N]`) or not LocalStack, and entries without events, are left as they are. A
 * history whose ExecutionStarted input is not the case's input is not taken (the entry would be another run).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { matchesRecorded } from './recorded-match';

const FOLDERS = ['cases', 'cases-extra', 'cases-localstack'];

function main(): void {
  const checkout = process.argv[2];
  if (!checkout) {
    console.error('usage: tsx engine/tests/conformance/add-histories.ts <localstack checkout>');
    process.exit(2);
  }
  const snapshots = new Map<string, Record<string, { 'recorded-content'?: Record<string, unknown> }>>();
  let added = 0;
  for (const folder of FOLDERS) {
    const dir = path.join(__dirname, folder);
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const casePath = path.join(dir, file);
      const text = readFileSync(casePath, 'utf8');
      const testCase = JSON.parse(text) as Record<string, unknown>;
      if (testCase.history !== undefined) continue;
      const [test, entry] = String(testCase.source ?? '').split(' > ');
      if (!test?.startsWith('tests/aws/') || !entry || entry.startsWith('cases[')) continue;
      const snapshotFile = path.join(checkout, test.split('::')[0].replace(/\.py$/, '.snapshot.json'));
      if (!snapshots.has(snapshotFile)) snapshots.set(snapshotFile, JSON.parse(readFileSync(snapshotFile, 'utf8')));
      const recorded = snapshots.get(snapshotFile)?.[test]?.['recorded-content']?.[entry] as
        | { events?: Array<Record<string, unknown>> }
        | undefined;
      const events = recorded?.events;
      if (!events || events.length === 0) continue;
      const started = events[0].executionStartedEventDetails as { input?: unknown } | undefined;
      if (!matchesRecorded(started?.input, testCase.input)) {
        console.warn(`${folder}/${file}: the recorded input is not the case's, history not taken`);
        continue;
      }
      // Appended as the last member, the rest of the file byte for byte (its numbers as they were written).
      const history = JSON.stringify(events, null, 2).replace(/\n/g, '\n  ');
      writeFileSync(casePath, text.replace(/\n}\n?$/, `,\n  "history": ${history}\n}\n`));
      added++;
    }
  }
  console.log(`${added} cases have their recorded history`);
}

main();
