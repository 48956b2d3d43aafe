/**
 * Before any test: the server must serve the built web UI (a debug binary compiled before
 * web/dist existed serves a "not built" page instead), and the screenshot folder exists.
 */
import fs from 'node:fs';
import type { FullConfig } from '@playwright/test';
import { SCREENSHOTS } from './helpers';

export default async function globalSetup(config: FullConfig): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const base = config.projects[0]?.use.baseURL ?? `http://127.0.0.1:${process.env.E2E_PORT}`;
  const html = await (await fetch(`${base}/login`)).text();
  if (!html.includes('id="app"')) {
    throw new Error(
      'The server does not serve the web UI: run `npm run build`, then `cargo build -p jiceng` ' +
        '(the debug binary picks up web/dist only if it existed when it was compiled).',
    );
  }
}
