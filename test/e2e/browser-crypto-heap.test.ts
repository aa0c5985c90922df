/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { ROOT } from '../helpers/vectors';

interface PageResult {
  vskText: string;
  vskBytes: string;
  vaultSecretKey: string;
  secret: string;
  signingSeed: string;
  /** libsodium's memory (base64) at the end of each editor action, when the page goes idle. */
  heaps: Record<'create' | 'unlock' | 'approve' | 'secret', string>;
}

/**
 * The editor's crypto bundle (resources/vault-crypto.js) in a real Chromium, doing what the
 * editor does with a VSK (nodes/editor/ui/crypto-ops.js): make a vault, check a pasted VSK and seal
 * it to a runtime, sign a runtime's approval with the key derived from it, seal a typed secret. Afterwards libsodium's WebAssembly memory must hold none of
 * them: the bundle has the same zeroing free as Node (credentials/crypto/zeroing-free.ts).
 */
async function editorSession(browser: Browser): Promise<PageResult> {
  const page = await browser.newPage();
  try {
    await page.setContent('<!doctype html><title>vault crypto</title>');
    await page.addScriptTag({ path: join(ROOT, 'resources', 'vault-crypto.js') });
    return await page.evaluate(async () => {
      const c = (globalThis as any).NrVaultCrypto;
      const sodium = await c.sodiumReady();
      const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      const dump = (): string => {
        const bytes: Uint8Array = sodium.libsodium.HEAPU8;
        let text = '';
        for (let at = 0; at < bytes.length; at += 0x8000) text += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
        return btoa(text);
      };
      // createVault
      const id = c.newId();
      const vsk = c.newVsk();
      const share = c.newShare();
      const keys = c.deriveVaultKeyPair(vsk, share, id);
      const vault = { id, name: 'V', share: c.toB64(share), publicKey: c.toB64(keys.publicKey) };
      const vskText: string = c.formatVsk(vsk);
      const vskBytes = hex(vsk);
      const vaultSecretKey = hex(keys.secretKey);
      c.wipe(vsk, keys.secretKey);
      const afterCreate = dump(); // the key panel shows the VSK; nothing else runs
      // sealVskForRuntime, with a runtime key made here (the editor fetches it from GET vault/runtime)
      const runtime = c.newRuntimeKeys();
      const pasted = c.parseVsk(` ${vskText} `);
      c.wipe(c.openVaultKeyPair(pasted, vault).secretKey);
      const text = c.formatVsk(pasted);
      c.sealUnlockPayload(c.newUnlockPayload(runtime.id, id, text), runtime.publicKey);
      const afterUnlock = dump();
      // approving a runtime: the vault signing key derived from the VSK signs the runtime's key
      const signing = c.vaultSigningKeysOf(pasted, vault);
      const signingSeed = hex(signing.secretKey.subarray(0, 32));
      c.signRuntimeApproval(signing.secretKey, id, runtime.id, runtime.publicKey);
      c.wipe(signing.secretKey, pasted);
      const afterApprove = dump();
      // sealSecrets
      const secret = c.toB64(crypto.getRandomValues(new Uint8Array(45))); // 60 characters
      c.sealField(c.fromB64(vault.publicKey, 32),
        { vault: id, item: c.newId(), field: 'password', type: 'login', plain: { url: 'https://example.test/', username: 'u' } }, secret);
      return {
        vskText, vskBytes, vaultSecretKey, secret, signingSeed,
        heaps: { create: afterCreate, unlock: afterUnlock, approve: afterApprove, secret: dump() },
      };
    });
  } finally {
    await page.close();
  }
}

function pieces(value: Buffer, size = 12): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + size <= value.length; at++) out.push(value.subarray(at, at + size));
  return out;
}

describe("editor crypto in Chromium: no VSK or secret left in libsodium's memory (issue 11, medium 7)", function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => { browser = await launchChromium(); });
  after(async () => { await browser?.close(); });

  it('after making a vault, sealing its VSK to a runtime, approving a runtime, sealing a secret', async () => {
    const r = await editorSession(browser);
    const vskText = Buffer.from(r.vskText);
    const checks: [string, Buffer[]][] = [
      ['the VSK text', [vskText, vskText.subarray(5)]],
      ['the VSK bytes', [Buffer.from(r.vskBytes, 'hex')]],
      ['the vault secret key', [Buffer.from(r.vaultSecretKey, 'hex'), Buffer.from(r.vaultSecretKey, 'hex').subarray(1, 31)]],
      ['the vault signing key', [Buffer.from(r.signingSeed, 'hex')]],
      ['the typed secret (or a part of it)', pieces(Buffer.from(r.secret))],
    ];
    for (const [step, text] of Object.entries(r.heaps)) {
      const heap = Buffer.from(text, 'base64');
      assert.ok(heap.length >= 1 << 20, 'the page returned the whole WebAssembly memory');
      for (const [what, needles] of checks) {
        const hit = needles.find((n) => heap.includes(n));
        assert.equal(hit && heap.indexOf(hit), undefined, `${what} is in libsodium's memory in the browser after "${step}"`);
      }
    }
  });
});
