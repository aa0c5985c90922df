import { VaultError, scrubSecrets, sentSecretForms } from '../../credentials';

/** Twilio's error body, e.g. { code: 21211, message: "The 'To' number … is not a valid phone number.", more_info, status: 400 }. */
export interface TwilioErrorBody {
  code?: number;
  message?: string;
  more_info?: string;
  status?: number;
}

/**
 * A Twilio error answer as a VaultError: `twilio_error` (or `auth_failed` for 401), with Twilio's
 * own code and message in the text, in `detail`, and in `cause`, which Node-RED's Catch node
 * copies to msg.error.cause (so a flow can switch on msg.error.cause.code, e.g. 21211).
 */
export function twilioError(httpStatus: number, bodyText: string, account: { accountSid: string; authToken: string }): VaultError {
  const parsed = parseBody(bodyText);
  const twilioCode = typeof parsed.code === 'number' ? parsed.code : undefined;
  // Twilio's text may echo the request, the Authorization header (base64 of sid:token) included.
  const sent = sentSecretForms({ secrets: [account.authToken], basicPairs: [[account.accountSid, account.authToken]] });
  const message = scrubSecrets(typeof parsed.message === 'string' ? parsed.message : '', sent).slice(0, 300);
  const moreInfo = typeof parsed.more_info === 'string' ? scrubSecrets(parsed.more_info, sent).slice(0, 300) : undefined;
  const code = httpStatus === 401 ? 'auth_failed' : 'twilio_error';
  const what = httpStatus === 401 ? "Twilio refused the account SID and auth token: check the connection's credentials." : 'Twilio refused the message.';
  const said = twilioCode !== undefined || message ? ` Twilio error ${twilioCode ?? '?'}: ${message || '(no message)'}` : ` Twilio answered HTTP ${httpStatus}.`;
  const more = moreInfo ? ` See ${moreInfo}` : '';
  return new VaultError(code, `${what}${said}${more}`, {
    detail: { twilioCode, httpStatus, moreInfo },
    cause: { code: twilioCode, message, moreInfo, status: httpStatus },
  });
}

function parseBody(text: string): TwilioErrorBody {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as TwilioErrorBody) : {};
  } catch {
    return {};
  }
}
