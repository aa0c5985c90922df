import type { SealedField } from '../crypto/field';

export type { RuntimeApproval } from '../crypto/runtime-approval';

/** A vault as stored: public material only. */
export interface VaultRecord {
  id: string;
  name: string;
  share: string;
  publicKey: string;
  createdAt: string;
}

/** An item (connection) as stored: plain fields in clear, secret fields sealed. */
export interface ItemRecord {
  id: string;
  vault: string;
  name: string;
  type: string;
  plain: Record<string, string>;
  secret: Record<string, SealedField>;
  version: number;
  updatedAt: string;
  /** A type's own state, set by the runtime (e.g. a revoked refresh token). */
  state?: 'needs_reauth';
}

/** A write of an item: `plain` replaces as a whole; a secret left out is kept, `null` removes it. */
export interface ItemWrite {
  name: string;
  type: string;
  plain: Record<string, string>;
  secret: Record<string, SealedField | null>;
  ifVersion?: number;
  /** Omitted: keep; null: clear. Only the runtime sets it. */
  state?: 'needs_reauth' | null;
}

/** What changed: a vault (item absent) or one item of it. */
export interface StoreChange {
  vault: string;
  item?: string;
  /** True when another process wrote it (shared stores). */
  remote?: boolean;
}

/** A runtime as the registry of a shared store knows it. */
export interface RuntimeRegistration {
  id: string;
  name: string;
  publicKey: string;
  fingerprint: string;
  adminUrl?: string;
  lastSeen: string;
}

/** Which approvals to list: all, or those of one vault and/or one runtime. */
export interface ApprovalFilter {
  vault?: string;
  runtime?: string;
}
