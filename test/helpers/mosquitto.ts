import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './closed-port';

const MOSQUITTO = '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';

/**
 * A real Mosquitto on a free loopback port that refuses anonymous clients and checks a password
 * file (mosquitto_passwd). setPassword() changes the file and reloads it (SIGHUP).
 */
export class Mosquitto {
  private stderr = '';
  private constructor(readonly port: number, private readonly dir: string, private readonly passwd: string, private readonly child: ChildProcess) {
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
  }

  /** Mosquitto's log so far (it writes it to a file: its stdout is block-buffered on a pipe). */
  get output(): string {
    let log = '';
    try {
      log = readFileSync(join(this.dir, 'mosquitto.log'), 'utf8');
    } catch {
      // not written yet
    }
    return this.stderr + log;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  static async start(users: Record<string, string>): Promise<Mosquitto> {
    const dir = mkdtempSync(join(tmpdir(), 'nr-vault-mosquitto-'));
    const passwd = join(dir, 'passwd');
    const entries = Object.entries(users);
    entries.forEach(([user, password], i) => execFileSync(MOSQUITTO_PASSWD, [...(i === 0 ? ['-c'] : []), '-b', passwd, user, password]));
    const port = await freePort();
    const config = [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      `password_file ${passwd}`,
      'persistence false',
      `log_dest file ${join(dir, 'mosquitto.log')}`,
      'log_type error', 'log_type warning', 'log_type notice', 'log_type information',
      'connection_messages true',
      // Mosquitto refuses to run as root unless told which user to be.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
    ];
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, `${config.join('\n')}\n`);
    const child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    const m = new Mosquitto(port, dir, passwd, child);
    const end = Date.now() + 10_000;
    while (!/running/.test(m.output)) {
      if (child.exitCode !== null || Date.now() > end) {
        const output = m.output;
        await m.stop();
        throw new Error(`mosquitto did not start:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return m;
  }

  /** Change a user's password in the file and make Mosquitto read it again. */
  async setPassword(user: string, password: string): Promise<void> {
    execFileSync(MOSQUITTO_PASSWD, ['-b', this.passwd, user, password]);
    const seen = this.output.length;
    this.child.kill('SIGHUP');
    const end = Date.now() + 5_000;
    while (!/Reloading config/i.test(this.output.slice(seen)) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  }

  /** Log lines of successful connections made as `user`. */
  connectionsAs(user: string): string[] {
    return this.output.split('\n').filter((l) => l.includes('New client connected') && l.includes(`u'${user}'`));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
