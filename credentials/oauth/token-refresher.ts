import { EventEmitter } from 'node:events';
import { VaultError, isVaultError } from '../errors';
import type { DecryptedItem, Keyring } from '../keyring';
import type { VaultStore } from '../store/vault-store';
import { grantRequest, sameGrant } from './grant';
import { requestToken, TokenRequestError, type TokenSet } from './token-request';
import { isOAuthType, tokenIsFresh, tokenIsUsable } from './token-policy';

export interface RefresherOptions {
  now?: () => number;
  /** Time-out of one token request. */
  timeoutMs?: number;
  /** Pauses between attempts when there is no usable token to fall back on. */
  retryDelaysMs?: readonly number[];
  /** First and longest pause before asking again after a failure, while the current token is used. */
  backoffMs?: number;
  maxBackoffMs?: number;
  fetch?: typeof fetch;
}

/** Ids and codes only: safe to log. */
export interface RefresherEvents {
  refreshed: [{ vault: string; item: string; expiresAt: number }];
  failed: [{ vault: string; item: string; code: string; message: string; usingCurrent: boolean }];
}

interface Backoff {
  failures: number;
  notBefore: number;
  error: unknown;
  /** The item's version that failed: a person's edit (a fixed scope) is tried at once. */
  version: number;
}

/** A token that was got but could not be stored: it is used, and stored before the next request. */
interface Unsaved {
  base: DecryptedItem;
  set: TokenSet;
  issuedAt: number;
}

/**
 * Gives OAuth2 connections a valid access token, refreshing it ahead of expiry and writing it back
 * sealed, so every runtime that shares the store uses it. One refresh per connection at a time:
 * in this process one promise per connection; across processes a store lock, then a fresh read,
 * so a runtime that waited uses the token the other one got instead of asking again.
 */
export class TokenRefresher extends EventEmitter<RefresherEvents> {
  private readonly inFlight = new Map<string, Promise<DecryptedItem>>();
  private readonly backoff = new Map<string, Backoff>();
  private readonly unsaved = new Map<string, Unsaved>();
  private readonly now: () => number;
  private readonly fetchFn: typeof fetch;
  /** Token requests sent by this refresher (for tests and benchmarks). */
  requests = 0;
  private readonly onLocked = (vault: string): void => this.forgetVault(vault);

  constructor(
    private readonly keyring: Keyring,
    private readonly store: VaultStore,
    private readonly options: RefresherOptions = {},
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    keyring.on('locked', this.onLocked);
  }

  /** The item with a valid access token; items of other types, or not ready, are returned as they are. */
  async withFreshToken(item: DecryptedItem): Promise<DecryptedItem> {
    if (!isOAuthType(item.type) || item.status !== 'ready') return item;
    const key = keyOf(item.vault, item.id);
    const unsaved = this.unsaved.get(key);
    if (!unsaved && tokenIsFresh(item.fields, this.now())) return item;
    const pause = this.backoff.get(key);
    if (!unsaved && pause && pause.version === item.version && this.now() < pause.notBefore) {
      if (tokenIsUsable(item.fields, this.now())) return item;
      throw pause.error;
    }
    let running = this.inFlight.get(key);
    if (!running) {
      running = this.refreshLocked(item.vault, item.id).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  private refreshLocked(vault: string, itemId: string): Promise<DecryptedItem> {
    const key = keyOf(vault, itemId);
    return this.store.withLock(`oauth:${vault}:${itemId}`, async () => {
      // Another runtime may have refreshed while this one waited for the lock.
      let item = await this.keyring.getItem(vault, itemId, { fresh: true });
      if (!isOAuthType(item.type) || item.status !== 'ready') return item;
      const pending = this.unsaved.get(key);
      if (pending) {
        item = await this.storeUnsaved(key, pending, item);
        if (this.unsaved.has(key)) return withToken(item, pending);
      }
      if (tokenIsFresh(item.fields, this.now())) {
        this.backoff.delete(key);
        return item;
      }
      try {
        const set = await this.requestWithRetry(item);
        const issuedAt = this.now();
        const saved = await this.save(key, { base: item, set, issuedAt });
        this.backoff.delete(key);
        this.emit('refreshed', { vault, item: itemId, expiresAt: issuedAt + set.expiresIn * 1000 });
        return saved;
      } catch (e) {
        if (e instanceof TokenRequestError && e.failure === 'rejected') {
          await this.markNeedsReauth(item);
          this.backoff.delete(key);
          const err = needsReauth(item, e);
          this.emit('failed', { vault, item: itemId, code: err.code, message: err.message, usingCurrent: false });
          throw err;
        }
        const usingCurrent = tokenIsUsable(item.fields, this.now());
        this.recordFailure(key, item.version, e);
        this.emit('failed', { vault, item: itemId, code: isVaultError(e) ? e.code : 'token_error', message: e instanceof Error ? e.message : String(e), usingCurrent });
        if (usingCurrent) return item;
        throw e;
      }
    });
  }

  /** Network errors, time-outs and 5xx are retried here only when there is no usable token to fall back on. */
  private async requestWithRetry(item: DecryptedItem): Promise<TokenSet> {
    const delays = this.options.retryDelaysMs ?? [500, 2000];
    for (let attempt = 0; ; attempt++) {
      try {
        this.requests++;
        return await requestToken(grantRequest(item, this.options.timeoutMs ?? 10_000), this.fetchFn);
      } catch (e) {
        const transient = e instanceof TokenRequestError && e.failure === 'transient';
        if (!transient || attempt >= delays.length || tokenIsUsable(item.fields, this.now())) throw e;
        await sleep(delays[attempt]);
      }
    }
  }

  /**
   * Write the new token (and the rotated refresh token) sealed, before anyone can use it. A client
   * that wrote the item meanwhile (a rename) is merged with; one that changed the grant wins.
   */
  private async save(key: string, got: Unsaved): Promise<DecryptedItem> {
    const { set, issuedAt } = got;
    let base = got.base;
    const secret: Record<string, string> = { accessToken: set.accessToken };
    if (base.type === 'oauth2-refresh' && set.refreshToken) secret.refreshToken = set.refreshToken;
    const plain = { expiresAt: String(issuedAt + set.expiresIn * 1000), issuedAt: String(issuedAt) };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.keyring.writeFields(base.vault, base.id, { secret, plain }, base.version);
        this.unsaved.delete(key);
        return await this.keyring.getItem(base.vault, base.id, { fresh: true });
      } catch (e) {
        if (!isVaultError(e, 'conflict')) {
          // Keep it: a rotated refresh token is the only valid one now; it is stored before the next request.
          this.unsaved.set(key, { ...got, base });
          return withToken(base, got);
        }
        const current = await this.keyring.getItem(base.vault, base.id, { fresh: true });
        if (!sameGrant(base, current)) {
          this.unsaved.delete(key);
          return current;
        }
        base = current;
      }
    }
    this.unsaved.set(key, { ...got, base });
    return withToken(base, got);
  }

  /** Under the lock: retry storing a token got earlier; drop it if the connection was changed meanwhile. */
  private async storeUnsaved(key: string, pending: Unsaved, current: DecryptedItem): Promise<DecryptedItem> {
    if (!sameGrant(pending.base, current)) {
      this.unsaved.delete(key);
      return current;
    }
    return this.save(key, { ...pending, base: current });
  }

  private async markNeedsReauth(item: DecryptedItem): Promise<void> {
    let base = item;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.keyring.writeFields(base.vault, base.id, {
          secret: { accessToken: null }, plain: { expiresAt: null, issuedAt: null }, state: 'needs_reauth',
        }, base.version);
        return;
      } catch (e) {
        if (!isVaultError(e, 'conflict')) throw e;
        const current = await this.keyring.getItem(base.vault, base.id, { fresh: true });
        if (!sameGrant(base, current)) return; // reconnected meanwhile
        base = current;
      }
    }
  }

  private recordFailure(key: string, version: number, error: unknown): void {
    const first = this.options.backoffMs ?? 1000;
    const failures = (this.backoff.get(key)?.failures ?? 0) + 1;
    const wait = Math.min(first * 2 ** (failures - 1), this.options.maxBackoffMs ?? 60_000);
    this.backoff.set(key, { failures, notBefore: this.now() + wait, error, version });
  }

  /** The vault was locked: forget what this refresher holds of it (an unsaved token is a decrypted value). */
  private forgetVault(vault: string): void {
    for (const map of [this.backoff, this.unsaved]) {
      for (const key of [...map.keys()]) if (key.startsWith(`${vault}\0`)) map.delete(key);
    }
  }

  close(): void {
    this.keyring.off('locked', this.onLocked);
    this.backoff.clear();
    this.unsaved.clear();
    this.removeAllListeners();
  }
}

function keyOf(vault: string, item: string): string {
  return `${vault}\0${item}`;
}

function withToken(item: DecryptedItem, got: Unsaved): DecryptedItem {
  const fields: Record<string, string> = { ...item.fields, accessToken: got.set.accessToken, expiresAt: String(got.issuedAt + got.set.expiresIn * 1000), issuedAt: String(got.issuedAt) };
  if (item.type === 'oauth2-refresh' && got.set.refreshToken) fields.refreshToken = got.set.refreshToken;
  return { ...item, fields };
}

export function needsReauth(item: { name: string }, cause?: unknown): VaultError {
  return new VaultError('needs_reauth', `Connection "${item.name}" was refused by its token server: reconnect it on the Vault page.`, {
    cause, ...(cause instanceof VaultError && cause.detail ? { detail: cause.detail } : {}),
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
