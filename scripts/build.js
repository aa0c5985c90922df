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

run('typescript/bin/tsc', ['-p', 'tsconfig.json']);

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

// The browser side: libsodium and credentials/crypto in one file, served from resources/.
const browserEntry = path.join(root, 'nodes', 'editor', 'browser-crypto.ts');
if (fs.existsSync(browserEntry)) {
  require('esbuild').buildSync({
    entryPoints: [browserEntry],
    bundle: true,
    format: 'iife',
    globalName: 'NrVaultCrypto',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    outfile: path.join(root, 'resources', 'vault-crypto.js'),
    logLevel: 'warning',
  });
}
