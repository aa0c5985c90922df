import { readFileSync } from 'node:fs';
import { FINGERPRINT_PATTERN } from '../../credentials';
import { dirname, resolve } from 'node:path';
import { passwordOnce, type AdminCredentials } from './admin-auth';
import { CliError } from './cli-error';
import type { CliIo } from './cli-io';
import type { PinPolicy } from './pinning';
import { readPrivateFirstLine } from './private-file';
import { adminRootUrl } from './runtime-url';

/** One runtime of a fleet, ready to contact. */
export interface FleetTarget {
  name: string;
  base: URL;
  credentials: AdminCredentials;
  /** A pin from the fleet file or the store's registry; absent: the known-runtimes file decides. */
  expected?: PinPolicy['expected'];
}

export const FLEET_FILE_HELP = `Fleet file: JSON, { "runtimes": [ ... ] }, one object per runtime:
  "url"          its admin root (required), e.g. "http://10.0.0.11:1880/"
  "name"         a label for the output (default: the URL's host)
  "fingerprint"  its pinned fingerprint; a runtime showing another one is refused
                 (without it, the known-runtimes file pins it on first contact)
  and where its adminAuth token comes from, at most one of:
  "tokenEnv"     the name of an environment variable holding a token
  "tokenFile"    a file whose first line is a token (relative to the fleet file)
  "user"         an adminAuth user; its password from the variable named by "passwordEnv",
                 else asked with hidden input before the runtimes are contacted
  (none of them: --token, NR_VAULT_TOKEN or --user of the command line, if given)
Example:
  { "runtimes": [
      { "name": "line-1", "url": "http://10.0.0.11:1880/", "fingerprint": "Xk3…", "tokenEnv": "LINE1_TOKEN" },
      { "name": "line-2", "url": "https://line-2.plant:1880/admin/", "tokenFile": "tokens/line-2" },
      { "name": "line-3", "url": "http://10.0.0.13:1880/", "user": "ops", "passwordEnv": "LINE3_PASSWORD" } ] }`;

const KEYS = new Set(['url', 'name', 'fingerprint', 'tokenEnv', 'tokenFile', 'user', 'passwordEnv']);

export function readFleetFile(io: CliIo, file: string, fallback: AdminCredentials): FleetTarget[] {
  const path = resolve(io.cwd, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError('fleet_file_invalid', `The fleet file ${file} cannot be read or is not JSON.`, { cause: e });
  }
  const list = typeof parsed === 'object' && parsed !== null ? (parsed as { runtimes?: unknown }).runtimes : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new CliError('fleet_file_invalid', `The fleet file ${file} has no "runtimes" list.`);
  }
  const targets = list.map((entry: unknown, i) => fleetTarget(io, entry, `runtime ${i + 1} of ${file}`, dirname(path), fallback));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.base.href)) throw new CliError('fleet_file_invalid', `The fleet file ${file} lists ${t.base.href} twice.`);
    seen.add(t.base.href);
  }
  return targets;
}

function fleetTarget(io: CliIo, entry: unknown, where: string, dir: string, fallback: AdminCredentials): FleetTarget {
  const bad = (why: string): CliError => new CliError('fleet_file_invalid', `${where}: ${why}.`);
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad('not an object');
  const o = entry as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KEYS.has(key)) throw bad(`unknown key ${JSON.stringify(key)}`);
  for (const key of KEYS) if (key in o && typeof o[key] !== 'string') throw bad(`"${key}" must be a string`);
  const text = (key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);
  const urlText = text('url');
  if (!urlText) throw bad('"url" is required');
  let base: URL;
  try {
    base = adminRootUrl(urlText);
  } catch (e) {
    throw bad(e instanceof Error ? e.message : 'bad url');
  }
  const fingerprint = text('fingerprint');
  if (fingerprint !== undefined && !FINGERPRINT_PATTERN.test(fingerprint)) throw bad('"fingerprint" is not a runtime fingerprint (43 base64url characters)');
  const sources = ['tokenEnv', 'tokenFile', 'user'].filter((k) => k in o);
  if (sources.length > 1) throw bad(`give at most one of "tokenEnv", "tokenFile" and "user", not ${sources.join(' and ')}`);
  if ('passwordEnv' in o && !('user' in o)) throw bad('"passwordEnv" needs "user"');
  const name = text('name') ?? base.host;
  return {
    name,
    base,
    credentials: credentialsOf(io, o, dir, name, fallback, bad),
    expected: fingerprint ? { fingerprint, source: 'fleet_file' } : undefined,
  };
}

function credentialsOf(
  io: CliIo, o: Record<string, unknown>, dir: string, name: string, fallback: AdminCredentials, bad: (why: string) => CliError,
): AdminCredentials {
  if (typeof o.tokenEnv === 'string') {
    const token = io.env[o.tokenEnv];
    if (!token) throw bad(`the environment variable ${o.tokenEnv} named by "tokenEnv" is not set`);
    return { kind: 'token', token };
  }
  if (typeof o.tokenFile === 'string') {
    let token: string;
    try {
      token = readPrivateFirstLine(io, resolve(dir, o.tokenFile), o.tokenFile, 'token').trim();
    } catch (e) {
      if (e instanceof CliError && e.code === 'file_unsafe') throw e;
      throw bad(`the token file ${o.tokenFile} cannot be read`);
    }
    if (!token) throw bad(`the token file ${o.tokenFile} is empty`);
    return { kind: 'token', token };
  }
  if (typeof o.user === 'string') {
    const given = typeof o.passwordEnv === 'string' ? io.env[o.passwordEnv] : undefined;
    if (typeof o.passwordEnv === 'string' && given === undefined) throw bad(`the environment variable ${o.passwordEnv} named by "passwordEnv" is not set`);
    return { kind: 'login', user: o.user, password: passwordOnce(io, o.user, given, ` at ${name}`) };
  }
  return fallback;
}
