import nodemailer from 'nodemailer';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  attachments?: { filename: string; contentType: string; content: string }[] | null;
  /** Our notification id: lets a mail server (or a test) tell messages apart. */
  notificationId: string;
}

/** The port the e-mail sender uses: one message at a time, rejects with the server's reason. */
export interface MailTransport {
  send(message: MailMessage): Promise<{ messageId: string | null }>;
  close(): void;
}

/**
 * SMTP through nodemailer. `smtp://` upgrades with STARTTLS when the server
 * offers it, `smtps://` is TLS from the start. Timeouts are short: a server
 * that stops answering must not hold a send (it is retried later instead).
 */
export function createSmtpTransport(url: string, options: { timeoutMs?: number } = {}): MailTransport {
  const timeout = options.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    pool: false,
  });
  return {
    async send(message) {
      const info = (await transporter.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? undefined,
        headers: { 'X-MCR-Notification': message.notificationId },
        attachments: (message.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      })) as { messageId?: string };
      return { messageId: info.messageId ?? null };
    },
    close() {
      transporter.close();
    },
  };
}
