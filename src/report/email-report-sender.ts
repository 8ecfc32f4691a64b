import { smtpDeliveryError } from '../channels/smtp-errors.js';
import { smtpTransport } from '../channels/smtp-transport.js';
import type { EmailTarget } from '../routing/routing-model.js';
import type { ReportEmail } from './render-report.js';

/** Sends one rendered report by email, one connection per message, with the timeouts cut to `timeoutMs`. */
export async function sendReportEmail(target: EmailTarget, email: ReportEmail, timeoutMs = 10_000): Promise<{ messageId: string }> {
  const { smtp } = target;
  const transport = smtpTransport({ host: smtp.host, port: smtp.port, secure: smtp.tls === 'implicit', requireTLS: smtp.tls === 'starttls', auth: smtp.auth }, timeoutMs);
  try {
    const info = await transport.sendMail({
      from: target.from,
      to: [...target.to],
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachments: email.attachments.map((a) => ({ filename: a.filename, cid: a.cid, contentType: a.contentType, content: a.content, contentDisposition: 'inline' as const })),
    });
    return { messageId: String(info.messageId) };
  } catch (error) {
    throw smtpDeliveryError(error);
  } finally {
    transport.close();
  }
}
