/**
 * The size of a long proof in test/evidence/, from the environment, so that a developer can run a
 * quick pass; CI (.ci/run) clears these variables and runs the full sizes:
 *   NR_VAULT_EVIDENCE=quick            every evidence test at its quick size
 *   NR_VAULT_EVIDENCE_<NAME>=<count>   one of them at that size (e.g. NR_VAULT_EVIDENCE_CRASH_ROUNDS=20)
 */
export function evidenceSize(name: string, full: number, quick: number): number {
  const variable = `NR_VAULT_EVIDENCE_${name}`;
  const given = process.env[variable];
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${variable} must be a whole number of at least 1, not "${given}"`);
    return n;
  }
  return process.env.NR_VAULT_EVIDENCE === 'quick' ? quick : full;
}
