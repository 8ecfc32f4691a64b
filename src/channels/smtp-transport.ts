import nodemailer, { type Transporter } from 'nodemailer';

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (port 465). */
  secure: boolean;
  /** Refuse to send unless STARTTLS succeeds. */
  requireTLS: boolean;
  auth: { user: string; password: string } | undefined;
}

/**
 * One connection per message. nodemailer's default timeouts run to minutes; a sender would sit on a dead
 * server that long, so every one of them (DNS, connect, greeting, socket inactivity) is cut to `timeoutMs`.
 */
export function smtpTransport(smtp: SmtpOptions, timeoutMs: number): Transporter {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    ...(smtp.auth && { auth: { user: smtp.auth.user, pass: smtp.auth.password } }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
}
