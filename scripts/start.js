#!/usr/bin/env node
// `npm start`: Node-RED 4.1 from this project's node_modules (or NR_VAULT_NODE_RED's), with a project-local user directory
// (.node-red-user/) whose settings.js loads this package through `nodesDir` and an example flow
// in place on first start. PORT (default 1880) and NR_VAULT_USER_DIR override the defaults.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const userDir = path.resolve(process.env.NR_VAULT_USER_DIR || path.join(root, '.node-red-user'));
const port = process.env.PORT === undefined || process.env.PORT === '' ? '1880' : process.env.PORT;

if (!/^\d{1,5}$/.test(port)) {
  console.error(`npm start: PORT must be a port number, not "${port}"`);
  process.exit(2);
}

// A fresh clone is built by `npm install`; build here too if dist/ went missing.
if (!fs.existsSync(path.join(root, 'dist', 'nodes', 'vault', 'vault.js'))) {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'inherit' });
}

fs.mkdirSync(userDir, { recursive: true });

const settingsFile = path.join(userDir, 'settings.js');
if (!fs.existsSync(settingsFile)) {
  // nodesDir pointing at a package directory loads it as a module in Node-RED 4.1 (nodes,
  // plugins, examples, resources), without copying or linking it into node_modules.
  fs.writeFileSync(settingsFile, [
    '// Written by `npm start` (scripts/start.js). Edit freely: it is not overwritten.',
    'module.exports = {',
    `  uiHost: '127.0.0.1',`,
    `  flowFile: 'flows.json',`,
    `  nodesDir: [require('path').resolve(__dirname, ${JSON.stringify(path.relative(userDir, root) || '.')})],`,
    `  logging: { console: { level: 'info', metrics: false, audit: false } },`,
    '  // No adminAuth: the editor is for this machine\'s user only. The guard refuses requests from other',
    '  // sites\' pages and from other host names (DNS rebinding) on the whole admin API, /flows included.',
    '  // See the README, "Securing the editor", before you open Node-RED to a network.',
    `  httpAdminMiddleware: require(require('path').resolve(__dirname, ${JSON.stringify(path.relative(userDir, path.join(root, 'dist', 'admin', 'admin-guard.js')))})).adminGuard(),`,
    `  editorTheme: { tours: false, projects: { enabled: false } },`,
    '};',
    '',
  ].join('\n'));
}

// A settings.js written before the guard existed is left as it is, with a word about it.
if (!fs.readFileSync(settingsFile, 'utf8').includes('httpAdminMiddleware')) {
  console.warn(`npm start: ${settingsFile} has no httpAdminMiddleware: without adminAuth, any web page you open can use`
    + ' this Node-RED\'s admin API. Delete the file to have it written again, or see the README, "Securing the editor".');
}

const flowFile = path.join(userDir, 'flows.json');
if (!fs.existsSync(flowFile)) {
  // Examples carry no tab (Import puts them on the current one): give the first flow a tab.
  const example = JSON.parse(fs.readFileSync(path.join(root, 'examples', 'Get Item.json'), 'utf8'));
  const tab = { id: 'nrvaultstart0001', type: 'tab', label: 'Get Item', disabled: false, info: '' };
  const flow = [tab, ...example.map((n) => ('x' in n ? { ...n, z: tab.id } : n))];
  fs.writeFileSync(flowFile, JSON.stringify(flow, null, 2) + '\n');
}

// NR_VAULT_NODE_RED (a node_modules/node-red directory) runs another Node-RED, as .ci/run does for Node-RED 5.
const nodeRedDir = process.env.NR_VAULT_NODE_RED
  ? path.resolve(process.env.NR_VAULT_NODE_RED)
  : path.dirname(require.resolve('node-red/package.json', { paths: [root] }));
const red = path.join(nodeRedDir, 'red.js');
const child = spawn(process.execPath, [red, '--userDir', userDir, '--settings', settingsFile, '--port', port, '--no-telemetry'], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
