// The browser crypto bundle (libsodium, credentials/crypto and credentials/client,
// resources/vault-crypto.js) is a script of its own, loaded on the first vault API call (the Vault
// page's first drawing): Node-RED's plugin loader then need not wait for it. The path is relative
// to the editor page, so it follows httpAdminRoot.
const CRYPTO_BUNDLE = 'resources/@nr-vault/node-red-vault/vault-crypto.js';

let loading: Promise<NrVaultCryptoModule> | null = null;

function loadScript(): Promise<NrVaultCryptoModule> {
  return new Promise<NrVaultCryptoModule>((resolve, reject) => {
    if (window.NrVaultCrypto) return resolve(window.NrVaultCrypto);
    const script = document.createElement('script');
    script.src = CRYPTO_BUNDLE;
    script.async = true;
    script.onload = () => {
      if (window.NrVaultCrypto) resolve(window.NrVaultCrypto);
      else reject(new Error('vault-crypto.js loaded but NrVaultCrypto is missing'));
    };
    script.onerror = () => reject(new Error('could not load vault-crypto.js'));
    document.head.appendChild(script);
  });
}

/** Resolves to the crypto module once libsodium is ready; a failed load is tried again next time. */
export function loadCrypto(): Promise<NrVaultCryptoModule> {
  if (!loading) {
    loading = loadScript().then(async (c) => { await c.sodiumReady(); return c; });
    loading.catch(() => { loading = null; });
  }
  return loading;
}
