import { DeliveryError } from '../notify/channel.js';

const configCodes = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'EREQUIRETLS']);
const authResponses = new Set([530, 534, 535, 538]);

/**
 * Maps a nodemailer failure to a DeliveryError: SMTP 4xx answers and connection trouble may pass later, 5xx
 * answers will not, and refused credentials need an operator.
 */
export function smtpDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const said = typeof e.response === 'string' && e.response !== '' ? e.response : typeof e.message === 'string' ? e.message : String(error);
  const detail = `SMTP${code ? ` ${code}` : ''}: ${said}`;

  if (status !== undefined && status >= 400 && status < 500) return new DeliveryError('server_error', detail, { cause: error });
  if ((status !== undefined && authResponses.has(status)) || (code !== undefined && configCodes.has(code))) return new DeliveryError('bad_config', detail, { cause: error });
  // The server refused STARTTLS that requireTLS demands, or answered implicit TLS in plain text: a port/secure mix-up.
  if ((code === 'ETLS' && status !== undefined) || /wrong version number/i.test(said)) return new DeliveryError('bad_config', detail, { cause: error });
  // Without a server answer, an envelope error is ours: no usable sender or recipient.
  if (code === 'EENVELOPE' && status === undefined) return new DeliveryError('bad_config', detail, { cause: error });
  if (status !== undefined && status >= 500 && status < 600) return new DeliveryError('rejected', detail, { cause: error });
  if (code === 'ETIMEDOUT') return new DeliveryError('timeout', detail, { cause: error });
  // Connection refused or reset, DNS, TLS trouble: may pass on a later attempt; the outbox bounds the retries.
  return new DeliveryError('network', detail, { cause: error });
}
