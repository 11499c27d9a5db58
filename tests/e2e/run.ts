/**
 * `npm run test:e2e [-- --screenshots] [--only <text>]`: starts a fresh local cloud on free ports, runs the browser
 * scenarios in Debian's Chromium, stops everything, prints one line per scenario and "N passed, M failed",
 * and exits non-zero on any failure. --screenshots also writes each page's screenshot to docs/screenshots/;
 * --only runs just the scenarios whose name contains the text (e.g. `--only "incident list"`; `a|b` for either).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM, launchBrowser } from './browser';
import { startE2eCloud, waitForHealth, type E2eCloud } from './local-cloud';
import { incidentListScenarios } from './incident-list';
import { incidentRedriveScenarios } from './incident-redrive';
import { pageChecks, scenarios, type E2eContext } from './scenarios';
import { signInScenarios } from './sign-in';

const SCREENSHOTS = path.resolve(__dirname, '../../docs/screenshots');

async function main(): Promise<number> {
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium is not at ${CHROMIUM}: install it with apt-get install chromium (or set CHROMIUM_PATH).`);
    return 1;
  }
  const screenshots = process.argv.includes('--screenshots');
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
  if (onlyAt !== -1 && !only) {
    console.error('--only needs the text of the scenarios to run');
    return 1;
  }
  if (screenshots) await mkdir(SCREENSHOTS, { recursive: true });
  let cloud: E2eCloud | undefined;
  let browser: Browser | undefined;
  let passed = 0;
  let failed = 0;
  try {
    console.log('Starting a fresh local cloud...');
    cloud = await startE2eCloud((line) => console.log(line));
    await waitForHealth(cloud.cloud.urls.api);
    browser = await launchBrowser();
    const context: E2eContext = {
      browser,
      apiUrl: cloud.cloud.urls.api,
      sesUrl: cloud.cloud.urls.ses,
      dynamodbUrl: cloud.cloud.urls.dynamodb,
      screenshotsDir: screenshots ? SCREENSHOTS : undefined,
      state: {},
    };
    // The redrive scenario moves the clock a week on: last.
    const selected = [
      ...scenarios,
      ...signInScenarios(),
      ...pageChecks(),
      // After the page checks: its 45 incidents (dated 2099) would fill the first page of their screenshots.
      ...incidentListScenarios,
      ...incidentRedriveScenarios,
    ].filter((scenario) => !only || only.split('|').some((text) => scenario.name.includes(text)));
    if (selected.length === 0) throw new Error(`no scenario's name contains "${only}"`);
    for (const scenario of selected) {
      const started = Date.now();
      try {
        await scenario.run(context);
        passed++;
        console.log(`ok    ${scenario.name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed++;
        console.log(
          `FAIL  ${scenario.name}\n      ${((error as Error).stack ?? String(error)).split('\n').join('\n      ')}`,
        );
      }
    }
  } catch (error) {
    failed++;
    console.error(`The browser tests could not run: ${(error as Error).stack ?? error}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await cloud?.stop().catch((error: Error) => console.error(`stopping the local cloud failed: ${error.message}`));
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
