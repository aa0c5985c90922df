#!/usr/bin/env node
// Builds everything `npm install` needs: TypeScript to dist/, the node and plugin HTML, locales and
// icons next to their JavaScript, and the browser bundle of credentials/crypto into resources/.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

function run(cmd, args) {
  execFileSync(process.execPath, [require.resolve(cmd, { paths: [root] }), ...args], { cwd: root, stdio: 'inherit' });
}

function copyTree(from, to, filter) {
  if (!fs.existsSync(from)) return;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, filter);
    else if (filter(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

// A fresh dist/ each time: a test whose source was removed must not keep running from a stale .js.
fs.rmSync(dist, { recursive: true, force: true });
run('typescript/bin/tsc', ['-p', 'tsconfig.json']);
// The editor's browser code: type-checked on its own (DOM library, no Node types); esbuild bundles it.
run('typescript/bin/tsc', ['-p', path.join('nodes', 'editor', 'tsconfig.json')]);

// Node-RED looks for <node>.html and icons/ beside each node's .js, and for
// locales/<lang>/<node>.{json,html} beside it too: nodes/locales/ is shared, so copy it to each node.
const nodesSrc = path.join(root, 'nodes');
copyTree(nodesSrc, path.join(dist, 'nodes'), (name) => /\.(html|png|svg)$/.test(name));
const localeDir = path.join(nodesSrc, 'locales');
for (const entry of fs.readdirSync(nodesSrc, { withFileTypes: true })) {
  const target = path.join(dist, 'nodes', entry.name);
  if (entry.isDirectory() && entry.name !== 'locales' && fs.existsSync(target)) {
    copyTree(localeDir, path.join(target, 'locales'), (name) => name.startsWith(entry.name + '.'));
  }
}

// The browser side, served from resources/: libsodium and credentials/crypto in one file (loaded
// when first needed), and the editor UI (Vault sidebar, connection selector, unlock popup).
const browserBundles = [
  { entry: path.join(root, 'nodes', 'editor', 'browser-crypto.ts'), out: 'vault-crypto.js', globalName: 'NrVaultCrypto', minify: true },
  { entry: path.join(root, 'nodes', 'editor', 'ui', 'index.ts'), out: 'vault-editor.js' },
];
for (const b of browserBundles) {
  if (!fs.existsSync(b.entry)) continue;
  require('esbuild').buildSync({
    entryPoints: [b.entry],
    bundle: true,
    format: 'iife',
    globalName: b.globalName,
    platform: 'browser',
    target: 'es2020',
    minify: Boolean(b.minify),
    outfile: path.join(root, 'resources', b.out),
    logLevel: 'warning',
  });
}
