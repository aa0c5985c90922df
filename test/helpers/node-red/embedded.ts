import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchCall, VaultTestClient } from '../vault-client';
import { installPackage } from './install';
import { waitUntilReady } from './readiness';
import { requireNodeRed } from './selected';

/** The runtime node objects a benchmark drives directly. */
export interface RuntimeFlowNode {
  receive(msg: Record<string, unknown>): void;
  on(event: 'input', fn: (msg: Record<string, unknown>) => void): void;
}

interface NodeRedModule {
  init(server: Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  httpAdmin: (req: unknown, res: unknown) => void;
  nodes: { getNode(id: string): RuntimeFlowNode | null };
  events: { once(event: 'flows:started', fn: () => void): void };
}

export interface EmbeddedOptions {
  /** Written to <userDir>/flows.json before start. */
  flows?: unknown[];
  /** More settings, over the generated ones. */
  settings?: Record<string, unknown>;
}

/**
 * The selected Node-RED embedded in this process (its require('node-red'), RED.init/start), with
 * this package installed in a temp user directory as a user installs it. For benchmarks that must
 * call runtime nodes directly, without node-red-node-test-helper's spies on every node method.
 * Node-RED is a singleton: one per process. Nothing to guard: it ends with the test process.
 */
export class EmbeddedNodeRed {
  readonly users = [];
  readonly hasExited = false;
  readonly log = '';

  private constructor(
    readonly RED: NodeRedModule,
    private readonly server: Server,
    readonly userDir: string,
    readonly url: string,
  ) {}

  static async start(options: EmbeddedOptions = {}): Promise<EmbeddedNodeRed> {
    const userDir = mkdtempSync(join(tmpdir(), 'nr-vault-embedded-'));
    installPackage(userDir);
    writeFileSync(join(userDir, 'flows.json'), JSON.stringify(options.flows ?? []));
    const RED = requireNodeRed<NodeRedModule>();
    const server = createServer((req, res) => RED.httpAdmin(req, res));
    RED.init(server, {
      userDir, flowFile: 'flows.json', credentialSecret: false, httpAdminRoot: '/', httpNodeRoot: false,
      uiHost: '127.0.0.1', disableEditor: true, telemetry: { enabled: false },
      logging: { console: { level: 'warn', metrics: false, audit: false } },
      externalModules: { autoInstall: false }, editorTheme: { projects: { enabled: false } },
      ...options.settings,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // RED.start() resolves before the flows have started: wait for them too, so node(id) finds them.
    const flowsStarted = new Promise<void>((resolve) => RED.events.once('flows:started', resolve));
    await RED.start();
    await flowsStarted;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const nr = new EmbeddedNodeRed(RED, server, userDir, `http://127.0.0.1:${port}/`);
    await waitUntilReady(nr, { timeoutMs: 60_000, vault: true });
    return nr;
  }

  token(): Promise<string> {
    return Promise.reject(new Error('an embedded Node-RED runs without adminAuth'));
  }

  /** A runtime node of the deployed flows. */
  node(id: string): RuntimeFlowNode {
    const n = this.RED.nodes.getNode(id);
    if (!n) throw new Error(`no node ${id} in the flows`);
    return n;
  }

  /** A vault client on this runtime's admin API (no adminAuth). */
  client(): VaultTestClient {
    return new VaultTestClient(fetchCall(this.url));
  }

  async stop(): Promise<void> {
    await this.RED.stop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.userDir, { recursive: true, force: true });
  }
}
