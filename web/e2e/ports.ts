/**
 * Ports of the three browser-test servers (see playwright.config.ts).
 *
 * E2E_PORT, E2E_CITY_PORT and E2E_INIT_PORT win when set (the city and init servers default
 * to E2E_PORT + 1 and + 2 when only E2E_PORT is given, as before). Otherwise the ports are
 * chosen free: the operating system hands out three ports (a small node script binds port 0
 * three times, all held open together so they differ), so a program already listening on any
 * fixed port cannot break the run. The answer is written back into the environment, so the
 * configuration evaluated again in each worker, the servers and the helpers all see the same
 * three ports.
 */
import { spawnSync } from 'node:child_process';

/** Synchronously asks the operating system for `n` distinct free ports on 127.0.0.1. */
export function pickFreePorts(n: number): number[] {
  const script = `
    const net = require('node:net');
    const n = Number(process.argv[1]);
    const held = [];
    const next = () => {
      if (held.length === n) {
        process.stdout.write(JSON.stringify(held.map((s) => s.address().port)));
        for (const s of held) s.close();
        return;
      }
      const s = net.createServer();
      s.on('error', (e) => { process.stderr.write(String(e)); process.exit(1); });
      s.listen(0, '127.0.0.1', () => { held.push(s); next(); });
    };
    next();
  `;
  const r = spawnSync(process.execPath, ['-e', script, String(n)], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) {
    throw new Error(`e2e: could not pick ${n} free ports on 127.0.0.1: ${r.stderr || r.error?.message || 'no answer'}`);
  }
  const ports = JSON.parse(r.stdout) as number[];
  if (ports.length !== n || new Set(ports).size !== n) {
    throw new Error(`e2e: the port picker answered ${r.stdout}`);
  }
  return ports;
}

export interface E2ePorts {
  port: number;
  cityPort: number;
  initPort: number;
}

function parsePort(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const p = Number(value);
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`e2e: ${name}=${value} is not a port`);
  return p;
}

/**
 * The three servers' ports: from the environment when set, else free ones; written back into
 * `env` (E2E_PORT, E2E_CITY_PORT, E2E_INIT_PORT).
 */
export function e2ePorts(env: NodeJS.ProcessEnv = process.env): E2ePorts {
  const given = parsePort('E2E_PORT', env.E2E_PORT);
  let city = parsePort('E2E_CITY_PORT', env.E2E_CITY_PORT);
  let init = parsePort('E2E_INIT_PORT', env.E2E_INIT_PORT);
  let port: number;
  if (given !== undefined) {
    port = given;
    city ??= given + 1;
    init ??= given + 2;
  } else {
    const free = pickFreePorts(3).filter((p) => p !== city && p !== init);
    port = free.shift()!;
    city ??= free.shift()!;
    init ??= free.shift()!;
  }
  env.E2E_PORT = String(port);
  env.E2E_CITY_PORT = String(city);
  env.E2E_INIT_PORT = String(init);
  return { port, cityPort: city, initPort: init };
}
