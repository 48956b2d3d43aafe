// @vitest-environment node
/**
 * The browser tests' servers must not depend on fixed ports: with 18080–18082 taken by another
 * program (as on a machine where something else listens there), the Playwright configuration
 * still has to name three distinct free ports and export them for the workers.
 * (A vitest, not a Playwright spec: run by `npm run test:unit`.)
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2ePorts, pickFreePorts } from './ports';

const held: net.Server[] = [];

/** Listens on 127.0.0.1:port; a port already in use counts as occupied too. */
function occupy(port: number): Promise<void> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve());
    s.listen(port, '127.0.0.1', () => {
      held.push(s);
      resolve();
    });
  });
}

/** Whether a port can be bound on 127.0.0.1 right now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

const portOf = (url: string | undefined): number => Number(new URL(url ?? '').port);

describe('e2e server ports', () => {
  const saved = { ...process.env };
  beforeAll(async () => {
    for (const p of [18080, 18081, 18082]) await occupy(p);
    delete process.env.E2E_PORT;
    delete process.env.E2E_CITY_PORT;
    delete process.env.E2E_INIT_PORT;
  });
  afterAll(async () => {
    for (const s of held) await new Promise((r) => s.close(r));
    for (const k of ['E2E_PORT', 'E2E_CITY_PORT', 'E2E_INIT_PORT']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('the Playwright configuration picks three free ports while 18080–18082 are occupied', async () => {
    const config = await import('../playwright.config');
    const ports = [portOf(config.baseURL), portOf(config.cityURL), portOf(config.initURL)];
    expect(new Set(ports).size).toBe(3);
    for (const p of ports) {
      expect(await isFree(p), `port ${p} is busy`).toBe(true);
    }
    // exported, so the workers (which evaluate the configuration again) see the same ports
    expect([process.env.E2E_PORT, process.env.E2E_CITY_PORT, process.env.E2E_INIT_PORT]).toEqual(
      ports.map(String),
    );
    // and the servers are started on those ports
    const commands = (config.default.webServer as { command: string }[]).map((w) => w.command).join('\n');
    for (const p of ports) expect(commands).toContain(`E2E_PORT=${p} `);
  });

  it('set ports win; the city and init servers follow E2E_PORT', () => {
    const env: NodeJS.ProcessEnv = { E2E_PORT: '19500' };
    expect(e2ePorts(env)).toEqual({ port: 19500, cityPort: 19501, initPort: 19502 });
    expect(env.E2E_INIT_PORT).toBe('19502');
    const env2: NodeJS.ProcessEnv = { E2E_CITY_PORT: '19600' };
    const p = e2ePorts(env2);
    expect(p.cityPort).toBe(19600);
    expect(new Set([p.port, p.cityPort, p.initPort]).size).toBe(3);
    expect(() => e2ePorts({ E2E_PORT: 'abc' })).toThrow(/not a port/);
  });

  it('picks distinct ports that are free', async () => {
    const ports = pickFreePorts(3);
    expect(new Set(ports).size).toBe(3);
    for (const p of ports) expect(await isFree(p)).toBe(true);
  });
});
