/**
 * Browser tests of the web UI against a real `jiceng serve` on a fresh demo database.
 *
 *   npm run build                  # the debug binary serves web/dist from disk
 *   (cd .. && cargo build -p jiceng)   # once, after the first web build (see CONVENTIONS.md)
 *   npm run test:e2e
 *
 * `make test` / `make web-test` build the web UI before running these. The browser is
 * Debian's /usr/bin/chromium (never downloaded: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
 * Three servers: E2E_PORT (the seed-county demo), E2E_CITY_PORT (the seed-city demo for the
 * 分类定级 spec; default E2E_PORT + 1 when E2E_PORT is set) and E2E_INIT_PORT (a fresh `jiceng
 * init` deployment whose "today" is the real date, for the whole-pipeline spec; default
 * E2E_PORT + 2). When E2E_PORT is not set, three free ports are chosen (e2e/ports.ts) and
 * exported, so nothing already listening on a fixed port can break the run. JICENG_BIN
 * (default ../target/debug/jiceng) can be set.
 * Screenshots of every screen go to ../test-output/screenshots/.
 */
import { defineConfig } from '@playwright/test';
import { e2ePorts } from './e2e/ports';

// Chosen once in the main process and exported into process.env: workers evaluate this file
// again and then read the same ports from the environment.
const { port, cityPort, initPort } = e2ePorts(process.env);
export const baseURL = `http://127.0.0.1:${port}`;
/** Second server: the seed-city demo (ratings of 2011 and 2012) for the 分类定级 spec. */
export const cityURL = `http://127.0.0.1:${cityPort}`;
/** Third server: a fresh deployment made by `jiceng init` (no demo, real "today") for the pipeline walk. */
export const initURL = `http://127.0.0.1:${initPort}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: '../test-output/playwright',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'off',
    screenshot: 'only-on-failure',
    extraHTTPHeaders: { 'X-Requested-With': 'jiceng' },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    { name: 'ui', testMatch: /.*\.spec\.ts/, dependencies: ['setup'] },
  ],
  webServer: [
    {
      command: `E2E_PORT=${port} bash e2e/start-server.sh`,
      url: `${baseURL}/api/v1/codes`,
      timeout: 180_000,
      reuseExistingServer: !process.env.CI && process.env.E2E_REUSE_SERVER === '1',
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
    {
      command: `E2E_PROFILE=seed-city E2E_PORT=${cityPort} bash e2e/start-server.sh`,
      url: `${cityURL}/api/v1/codes`,
      timeout: 180_000,
      reuseExistingServer: !process.env.CI && process.env.E2E_REUSE_SERVER === '1',
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
    {
      command: `E2E_PROFILE=init E2E_PORT=${initPort} bash e2e/start-server.sh`,
      url: `${initURL}/api/v1/codes`,
      timeout: 180_000,
      reuseExistingServer: !process.env.CI && process.env.E2E_REUSE_SERVER === '1',
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
  ],
});
