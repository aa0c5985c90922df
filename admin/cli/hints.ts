import type { CliErrorCode } from './cli-error';

/** The line printed under an error: what to do next. */
const HINTS: Partial<Record<CliErrorCode, string>> = {
  usage: 'Run "nr-vault --help" or "nr-vault COMMAND --help".',
  unreachable: "Check the URL: it is Node-RED's admin root (http://host:1880/, or with httpAdminRoot, http://host:1880/admin/), and Node-RED must be running.",
  unauthorized: 'Give an admin token with --token or NR_VAULT_TOKEN, or log in with --user NAME (the password is asked with hidden input, or read from NR_VAULT_PASSWORD).',
  forbidden: 'The Node-RED user needs the vault.read permission to list, vault.write to create vaults and vault.unlock to unlock and lock ("*" has all three).',
  auth_failed: 'Check the user name and password of the Node-RED adminAuth user.',
  protocol_mismatch: 'Upgrade nr-vault or the runtime\'s @nr-vault/node-red-vault so that both speak the same vault protocol.',
  fingerprint_changed: 'If the runtime got a new key on purpose, check the new fingerprint on its host (nr-vault runtime there, or its log) and run again with --accept-new-fingerprint (or edit the pin in the fleet file).',
  not_approved: 'Compare the runtime\'s fingerprint with the one it logs at start (or nr-vault runtime URL on a trusted path), then approve it: nr-vault approve URL --vault ID.',
  fingerprint_mismatch: 'Something between you and the runtime is not the runtime: do not send it secrets.',
  no_secret: 'Type the Vault Secret Key at the hidden prompt (on a terminal), or use --secret-file FILE ("-" reads stdin) or NR_VAULT_SECRET.',
  no_password: 'Type the password at the hidden prompt (on a terminal), set NR_VAULT_PASSWORD, or use --token.',
  ambiguous_vault: 'Name the vault by its id: "nr-vault vaults URL" lists them.',
  unknown_vault: 'List the runtime\'s vaults with "nr-vault vaults URL"; a runtime sees only the vaults of its own store.',
  wrong_secret: 'Each vault has its own Vault Secret Key: check that this one belongs to this vault.',
  invalid_secret_format: 'A Vault Secret Key is "vsk1_" followed by 43 characters, as create-vault or the Vault page printed it.',
  rate_limited: 'Too many wrong keys for this vault: wait a minute before trying again.',
  expired: 'The clocks of this machine and the runtime differ by more than 300 s: fix the clock.',
  replay: 'Run the command again: every run seals a new request.',
  bad_seal: 'The runtime could not open a request sealed to the key it announced: its key may have changed meanwhile; run again.',
  wrong_runtime: 'The runtime changed its identity meanwhile: run again.',
  unexpected_answer: 'Is this a Node-RED admin root with @nr-vault/node-red-vault installed?',
  fleet_file_invalid: 'Run "nr-vault fleet --help" for the fleet file format.',
  known_runtimes_invalid: 'Each line of the known-runtimes file is "URL FINGERPRINT RUNTIME-ID"; fix or delete the bad line.',
  file_unsafe: 'A file that holds a key or a token must be readable by you only: chmod 600 FILE.',
  store_unavailable: 'The runtime cannot reach its vault store: see its log.',
  exists: 'A vault with this id exists already.',
  internal: 'This is a bug in nr-vault or the runtime: please report it.',
};

export function hintFor(code: CliErrorCode): string | undefined {
  return HINTS[code];
}
