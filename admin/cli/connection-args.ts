import { credentialsFromOptions, type AdminCredentials } from './admin-auth';
import type { CliIo } from './cli-io';
import { KnownRuntimes, knownRuntimesPath } from './known-runtimes';
import { flagOption, stringOption, timeoutMs, type ParsedArgs } from './options';
import type { PinPolicy } from './pinning';

/** What the connection options of a command line amount to. */
export interface ConnectionArgs {
  credentials: AdminCredentials;
  pins: PinPolicy;
  timeoutMs: number;
}

export function connectionArgs(io: CliIo, parsed: ParsedArgs): ConnectionArgs {
  const known = KnownRuntimes.load(knownRuntimesPath(io, stringOption(parsed, 'known-runtimes')));
  return {
    credentials: credentialsFromOptions(io, stringOption(parsed, 'token'), stringOption(parsed, 'user'), stringOption(parsed, 'token-file')),
    pins: { known, acceptNewFingerprint: flagOption(parsed, 'accept-new-fingerprint') },
    timeoutMs: timeoutMs(parsed),
  };
}
