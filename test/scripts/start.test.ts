import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red';

describe('npm start (scripts/start.js)', function () {
  this.timeout(60_000);
  let userDir: string;
  let run: NodeRedProcess;
  let base: string;

  before(async () => {
    userDir = mkdtempSync(join(tmpdir(), 'nr-vault-start-'));
    run = await startNodeRed({ script: 'npm-start', userDir });
    base = run.url;
  });

  after(async () => {
    await run?.stop();
    rmSync(userDir, { recursive: true, force: true });
  });

  const get = async (path: string, accept = 'application/json') => {
    const res = await fetch(base + path, { headers: { accept } });
    return { status: res.status, text: await res.text() };
  };

  it('serves the Node-RED editor on 127.0.0.1', async () => {
    const res = await get('', 'text/html');
    assert.equal(res.status, 200);
    assert.match(res.text, /<title>Node-RED<\/title>/);
  });

  it('loads the package: its nodes and the editor plugin, with their editor code and help', async () => {
    const nodes = JSON.parse((await get('nodes')).text) as { module: string; types: string[] }[];
    const ours = nodes.filter((n) => n.module === '@nr-vault/node-red-vault').flatMap((n) => n.types);
    assert.deepEqual(ours.sort(), ['vault', 'vault-get-item', 'vault-send-mail', 'vault-twilio']);
    const nodeHtml = (await get('nodes', 'text/html')).text;
    assert.match(nodeHtml, /registerType\('vault-get-item'/);
    assert.match(nodeHtml, /registerType\('vault'/);
    for (const type of ['vault-send-mail', 'vault-twilio']) {
      assert.match(nodeHtml, new RegExp(`registerType\\('${type}'`));
      assert.match(nodeHtml, new RegExp(`data-help-name="${type}"[^]*<h3>Inputs</h3>[^]*<h3>Outputs</h3>[^]*<h3>Details</h3>`));
    }
    const plugins = JSON.parse((await get('plugins')).text) as { module: string }[];
    assert.ok(plugins.some((p) => p.module === '@nr-vault/node-red-vault'), JSON.stringify(plugins));
    assert.match((await get('plugins', 'text/html')).text, /resources\/@nr-vault\/node-red-vault\/vault-editor\.js/);
    const editor = await get('resources/@nr-vault/node-red-vault/vault-editor.js', '*/*');
    assert.equal(editor.status, 200);
    assert.match(editor.text, /nodeDefinition/);
  });

  it('serves the browser crypto bundle where the editor loads it from', async () => {
    const res = await get('resources/@nr-vault/node-red-vault/vault-crypto.js', '*/*');
    assert.equal(res.status, 200);
    assert.match(res.text, /NrVaultCrypto/);
  });

  it('answers the vault API and lists the example under Import > Examples', async () => {
    const rt = await get('vault/runtime');
    assert.equal(rt.status, 200);
    assert.equal(JSON.parse(rt.text).protocol, 1);
    const example = await get('library/examples/flows/@nr-vault/node-red-vault/Get Item');
    assert.equal(example.status, 200, example.text);
    assert.ok(JSON.parse(example.text).some((n: { type: string }) => n.type === 'vault-get-item'));
    for (const [name, type] of [['Send Mail', 'vault-send-mail'], ['Twilio', 'vault-twilio']]) {
      const flow = await get(`library/examples/flows/@nr-vault/node-red-vault/${name}`);
      assert.equal(flow.status, 200, flow.text);
      assert.ok(JSON.parse(flow.text).some((n: { type: string }) => n.type === type));
    }
  });

  it('puts the example flow in place on first start, on its own tab', async () => {
    const flows = JSON.parse(readFileSync(join(userDir, 'flows.json'), 'utf8')) as { type: string; z?: string; id: string }[];
    const tab = flows.find((n) => n.type === 'tab');
    assert.ok(tab);
    const getItem = flows.find((n) => n.type === 'vault-get-item');
    assert.equal(getItem?.z, tab.id);
    const deployed = JSON.parse((await get('flows')).text) as { type: string }[];
    assert.ok(deployed.some((n) => n.type === 'vault-get-item'));
    assert.doesNotMatch(run.log, /\[error\]/);
  });
});
