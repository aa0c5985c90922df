import { approvalFromStored } from './approval-record';
import type { ApprovalFilter, RuntimeApproval } from './records';

/** The SQL of the approvals table (migration 2), shared by the store and the CLI's registry reader. */
export const APPROVAL_COLUMNS = 'vault, runtime, public_key, sig, approved_at';

export interface ApprovalRow {
  vault: unknown;
  runtime: unknown;
  public_key: unknown;
  sig: unknown;
  approved_at: unknown;
}

/** A SELECT of the approvals that match `filter`, with its parameters. */
export function selectApprovals(s: string, filter: ApprovalFilter = {}): { sql: string; params: string[] } {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.vault !== undefined) where.push(`vault = $${params.push(filter.vault)}`);
  if (filter.runtime !== undefined) where.push(`runtime = $${params.push(filter.runtime)}`);
  const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return { sql: `SELECT ${APPROVAL_COLUMNS} FROM ${s}.approvals${clause} ORDER BY vault, runtime`, params };
}

export const UPSERT_APPROVAL = (s: string): string =>
  `INSERT INTO ${s}.approvals (${APPROVAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5)
   ON CONFLICT (vault, runtime) DO UPDATE SET public_key = EXCLUDED.public_key, sig = EXCLUDED.sig,
     approved_at = EXCLUDED.approved_at`;

export function approvalParams(a: RuntimeApproval): string[] {
  return [a.vault, a.runtime, a.publicKey, a.sig, a.approvedAt];
}

/** Rows as read: anyone who can write the table may have put anything there; malformed rows are left out. */
export function approvalsFromRows(rows: ApprovalRow[]): RuntimeApproval[] {
  return rows.flatMap((r) => {
    const a = approvalFromStored({ vault: r.vault, runtime: r.runtime, publicKey: r.public_key, sig: r.sig, approvedAt: r.approved_at });
    return a ? [a] : [];
  });
}
