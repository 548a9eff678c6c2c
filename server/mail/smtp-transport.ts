import nodemailer from 'nodemailer';
import type { MailTransport, TransportMessage } from './mail.types';

export interface SmtpTransportOptions {
  /** Socket timeouts, so a server that stops answering mid-conversation cannot stall the sender. */
  readonly timeoutMs?: number;
}

/**
 * Sends through an SMTP server given as `smtp://user:pass@host:port` or `smtps://…`; `?requireTLS=true`
 * refuses to continue unless the server offers STARTTLS.
 */
export function createSmtpTransport(url: string, options: SmtpTransportOptions = {}): MailTransport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const parsed = new URL(url);
  const transporter = nodemailer.createTransport({
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : parsed.protocol === 'smtps:' ? 465 : 587,
    secure: parsed.protocol === 'smtps:',
    requireTLS: parsed.searchParams.get('requireTLS') === 'true',
    ...(parsed.username
      ? { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } }
      : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send(message: TransportMessage): Promise<void> {
      await transporter.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        messageId: message.messageId,
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
    },
    close(): void {
      transporter.close();
    },
  };
}
