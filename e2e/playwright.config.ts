// Browser tests of the SPA against the real server, run from the repository root:
//   cargo build -p portal-server && scripts/build-frontend.sh
//   npx playwright test -c e2e/playwright.config.ts
// Playwright drives the system Chromium: never `npx playwright install` (it downloads a
// browser, which the project's machines cannot do).
import path from 'node:path';
import { tmpdir } from 'node:os';
import { defineConfig } from '@playwright/test';

const repoRoot = path.resolve(__dirname, '..');
const port = Number(process.env.E2E_PORT ?? 18080);
const baseURL = `http://127.0.0.1:${port}`;
const database = path.join(tmpdir(), `portal-e2e-${port}.db`);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Deleting the database inside the server's command, not here: Playwright also loads this
// file in its worker processes, after the server has started.
const serverCommand = [
  'test -x target/debug/portal || { echo "target/debug/portal is missing: cargo build -p portal-server" >&2; exit 1; }',
  'test -f frontend/dist/index.html || { echo "frontend/dist is missing: scripts/build-frontend.sh" >&2; exit 1; }',
  `rm -f '${database}' '${database}-shm' '${database}-wal'`,
  `exec target/debug/portal --database-url 'sqlite://${database}?mode=rwc' --demo --bind 127.0.0.1:${port} --static-dir frontend/dist --sign-in-per-minute 1000`,
].join(' && ');

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // The tests share one server and one database, and the actuals test writes to it.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  forbidOnly: !!process.env.CI,
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: serverCommand,
    cwd: repoRoot,
    url: `${baseURL}/health/ready`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
