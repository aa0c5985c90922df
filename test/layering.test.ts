import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * DESIGN.md's import rules, checked on every import of every .ts file in credentials/, admin/ and
 * nodes/ (type-only imports and re-exports too: a type is a dependency of the module's design).
 */
const ROOT = resolve(__dirname, '..', '..');
const SOURCE_DIRS = ['credentials', 'admin', 'nodes'];

/**
 * An import as the rules see it: a repo module (path without extension) or a package name, and
 * whether only types come through it (erased at build: no code of the target runs).
 */
type Target = ({ module: string } | { pkg: string }) & { typeOnly?: boolean };

/**
 * What the editor's browser bundles may take from credentials/ instead of index.ts (which pulls in
 * Node-only code): the crypto and client entries, and modules without imports.
 */
const BROWSER_ENTRIES = ['credentials/crypto/index', 'credentials/client/index', 'credentials/crypto/limits', 'credentials/reference'];

/** The rule an import from `from` (repo path, no extension) to `target` breaks, if any. */
export function brokenRule(from: string, target: Target): string | undefined {
  const inDir = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);
  if ('pkg' in target) {
    const pkg = target.pkg;
    if (pkg === 'libsodium-wrappers' && !inDir(from, 'credentials/crypto')) return 'only credentials/crypto imports libsodium';
    if (pkg === 'lowdb' && !inDir(from, 'credentials/store')) return 'only credentials/store imports lowdb';
    if (pkg === 'pg' && !inDir(from, 'credentials/store')) return 'only credentials/store imports pg';
    if ((pkg === 'node-red' || pkg.startsWith('@node-red/')) && !inDir(from, 'nodes')) return 'credentials/ and admin/ never import node-red';
    if (inDir(from, 'credentials/crypto') && pkg !== 'libsodium-wrappers') return 'credentials/crypto imports only libsodium and errors';
    if (inDir(from, 'credentials/client') && pkg !== 'libsodium-wrappers') return 'credentials/client is bundled for the browser: no Node or other packages';
    return undefined;
  }
  const to = target.module;
  const top = (p: string) => p.split('/')[0];
  if (inDir(from, 'credentials/crypto') && !inDir(to, 'credentials/crypto') && to !== 'credentials/errors') {
    return 'credentials/crypto imports only libsodium and errors';
  }
  if (inDir(from, 'credentials/client') && !inDir(to, 'credentials/client') && !inDir(to, 'credentials/crypto') && to !== 'credentials/errors') {
    return 'credentials/client imports only credentials/crypto and errors (it is bundled for the browser)';
  }
  // The store may name the shapes it keeps (types) and check an id's format, nothing that holds a key.
  const storeMayUse = target.typeOnly === true || to === 'credentials/crypto/ids' || to === 'credentials/crypto/limits';
  if (inDir(from, 'credentials/store') && ((inDir(to, 'credentials/crypto') && !storeMayUse) || to === 'credentials/keyring')) {
    return 'credentials/store never sees a key or a plaintext: no crypto (but types and ids), no keyring';
  }
  if (top(from) === 'credentials' && (top(to) === 'nodes' || top(to) === 'admin')) return 'nothing in credentials/ imports nodes/ or admin/';
  if ((top(from) === 'nodes' || top(from) === 'admin') && top(to) === 'credentials') {
    const browserEntry = inDir(from, 'nodes/editor') && BROWSER_ENTRIES.includes(to);
    if (to !== 'credentials/index' && !browserEntry) return `nodes/ and admin/ import credentials/index.ts only (the editor bundle: ${BROWSER_ENTRIES.join(', ')})`;
  }
  if (top(from) === 'nodes' && top(to) === 'admin' && !inDir(from, 'nodes/runtime')) return 'only nodes/runtime imports admin/';
  if (top(from) === 'admin' && top(to) === 'nodes') return 'admin/ never imports nodes/';
  return undefined;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const posix = (p: string) => p.split(sep).join('/');

/** Resolves a relative specifier to a repo module path without extension (a folder means its index). */
function resolveModule(file: string, spec: string): string {
  const base = resolve(dirname(file), spec);
  const asFile = ['.ts', '.d.ts', '.js'].some((ext) => existsSync(base + ext));
  const path = asFile || !existsSync(base) ? base : join(base, 'index');
  return posix(relative(ROOT, path)).replace(/\.(d\.ts|ts|js)$/, '');
}

function targetOf(file: string, spec: string, typeOnly: boolean): Target {
  if (spec.startsWith('.')) return { module: resolveModule(file, spec), typeOnly };
  const parts = spec.split('/');
  return { pkg: spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0], typeOnly };
}

/** Every import, re-export, import() and require() of a file, with whether it is type-only. */
function importsOf(file: string): { spec: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { spec: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = clause !== undefined && (clause.isTypeOnly
        || (!clause.name && named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)));
      found.push({ spec: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      found.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push({ spec: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      found.push({ spec: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ spec: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

interface Violation { file: string; spec: string; rule: string }

function violations(): { checked: number; found: Violation[] } {
  let checked = 0;
  const found: Violation[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const file of sourceFiles(join(ROOT, dir))) {
      const from = posix(relative(ROOT, file)).replace(/\.(d\.ts|ts)$/, '');
      for (const ref of importsOf(file)) {
        checked++;
        const rule = brokenRule(from, targetOf(file, ref.spec, ref.typeOnly));
        if (rule) found.push({ file: from, spec: ref.spec, rule });
      }
    }
  }
  return { checked, found };
}

describe('layering: DESIGN.md import rules', () => {
  it('no module in credentials/, admin/ or nodes/ imports across a forbidden line', () => {
    const { checked, found } = violations();
    assert.ok(checked > 200, `only ${checked} imports were found: the walk is broken`);
    assert.deepEqual(found.map((v) => `${v.file} imports '${v.spec}': ${v.rule}`), []);
  });

  it('the checker flags each forbidden kind of import (so the test above can fail)', () => {
    const bad: [string, Target][] = [
      ['credentials/crypto/field', { module: 'credentials/keyring' }],
      ['credentials/crypto/field', { pkg: 'node:crypto' }],
      ['credentials/store/file-store', { module: 'credentials/crypto/index' }],
      ['credentials/store/file-store', { module: 'credentials/keyring' }],
      ['credentials/store/file-store', { module: 'credentials/keyring', typeOnly: true }],
      ['credentials/store/file-store', { module: 'credentials/crypto/field' }],
      ['nodes/shared/node-red', { module: 'admin/routes/index', typeOnly: true }],
      ['credentials/keyring', { module: 'nodes/runtime/index' }],
      ['credentials/keyring', { module: 'admin/routes/index' }],
      ['credentials/keyring', { pkg: 'node-red' }],
      ['credentials/client/vault-record', { pkg: 'node:crypto' }],
      ['credentials/client/vault-record', { module: 'credentials/keyring' }],
      ['nodes/shared/node-red', { module: 'admin/routes/index' }],
      ['nodes/vault-get-item/vault-get-item', { module: 'credentials/crypto/index' }],
      ['nodes/vault-get-item/vault-get-item', { module: 'credentials/errors' }],
      ['nodes/vault-get-item/vault-get-item', { module: 'credentials/reference' }],
      ['nodes/editor/ui/api', { module: 'credentials/keyring' }],
      ['nodes/vault-get-item/vault-get-item', { pkg: 'libsodium-wrappers' }],
      ['admin/cli/main', { module: 'credentials/keyring' }],
      ['admin/cli/main', { module: 'nodes/runtime/index' }],
      ['admin/routes/index', { pkg: 'lowdb' }],
      ['admin/routes/index', { pkg: 'pg' }],
      ['nodes/runtime/vault-runtime-registry', { pkg: 'pg' }],
    ];
    for (const [from, target] of bad) assert.ok(brokenRule(from, target), `${from} -> ${JSON.stringify(target)} was not flagged`);
    const good: [string, Target][] = [
      ['credentials/crypto/field', { pkg: 'libsodium-wrappers' }],
      ['credentials/crypto/field', { module: 'credentials/errors' }],
      ['credentials/store/postgres-store', { pkg: 'pg' }],
      ['credentials/store/file-store', { pkg: 'lowdb' }],
      ['credentials/store/records', { module: 'credentials/crypto/field', typeOnly: true }],
      ['credentials/store/approval-record', { module: 'credentials/crypto/ids' }],
      ['credentials/store/record-shapes', { module: 'credentials/crypto/limits' }],
      ['nodes/editor/ui/reference-picker', { module: 'credentials/reference' }],
      ['nodes/runtime/vault-runtime-registry', { module: 'admin/routes/index' }],
      ['nodes/vault-get-item/vault-get-item', { module: 'credentials/index' }],
      ['nodes/editor/browser-crypto', { module: 'credentials/crypto/index' }],
      ['nodes/editor/browser-crypto', { module: 'credentials/client/index' }],
      ['admin/cli/main', { module: 'credentials/index' }],
    ];
    for (const [from, target] of good) assert.equal(brokenRule(from, target), undefined, `${from} -> ${JSON.stringify(target)}`);
  });
});
