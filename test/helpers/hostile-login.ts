import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PG_URL, sql } from './postgres';

/**
 * A database login with no privilege but LOGIN (what anyone with some account on the server has):
 * it can still NOTIFY on any channel. Dropped by `drop()`.
 */
export class HostileLogin {
  private constructor(readonly role: string, private readonly client: Client) {}

  static async create(): Promise<HostileLogin> {
    const role = `nrv_hostile_${randomBytes(5).toString('hex')}`;
    await sql(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT`);
    const url = new URL(PG_URL);
    url.username = role;
    url.password = '';
    const client = new Client({ connectionString: url.toString() });
    client.on('error', () => undefined);
    await client.connect();
    return new HostileLogin(role, client);
  }

  /** `SELECT pg_notify(channel, payload)` as this login. */
  async notify(channel: string, payload: string): Promise<void> {
    await this.client.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  /** Whether this login can read the store's tables (it must not, for the test to mean anything). */
  async canRead(schema: string): Promise<boolean> {
    try {
      await this.client.query(`SELECT 1 FROM "${schema}".items LIMIT 1`);
      return true;
    } catch {
      return false;
    }
  }

  async drop(): Promise<void> {
    await this.client.end().catch(() => undefined);
    await sql(`DROP ROLE IF EXISTS ${this.role}`);
  }
}

/** Payloads a hostile login sends: null, empty, wrong types, huge, unknown fields, bad ids. */
export function hostilePayloads(): string[] {
  return [
    'null', '', ' ', '0', '-1', 'true', '"v"', '[]', '[1,2]', '{}', '{"o":null}', '{"v":5}', '{"v":null,"i":7}', '{"o":1,"v":"x"}',
    '{"o":"x","v":""}', '{"o":"x","v":"a/b"}', '{"o":"x","v":"__proto__"}', '{"o":"x","v":"ok","i":{}}', '{"o":"x","v":"ok","i":"../x"}',
    '{"__proto__":{"polluted":1},"o":"x","v":"ok"}', '{"o":"x","v":"ok","extra":[1,2,3],"nested":{"a":{"b":null}}}',
    `{"o":"x","v":"${'a'.repeat(65)}"}`, `{"o":"${'o'.repeat(7_900)}","v":"ok"}`, '{"o":"x","v":"ok"', 'not json at all', '\u0001\u001b[2J',
    JSON.stringify({ o: 'x', v: 'ok', i: 'ok' }).repeat(200).slice(0, 7_999), `[${'['.repeat(3_000)}${']'.repeat(3_000)}]`,
  ];
}
