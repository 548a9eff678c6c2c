import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/**
 * How the loopback SMTP server behaves:
 * - `accept`: takes every message;
 * - `tempfail`: answers 421 (try again later) to the message;
 * - `reject`: answers 550 (no such mailbox);
 * - `drop`: reads the whole message, then cuts the connection without answering, so the client
 *   cannot know whether it was delivered (this is where duplicates come from).
 * The mode can change while the server runs, to simulate an outage that ends.
 */
export type SinkMode = 'accept' | 'tempfail' | 'reject' | 'drop';

export interface ReceivedMail {
  readonly envelopeTo: readonly string[];
  readonly raw: string;
  readonly parsed: ParsedMail;
}

/** A Haven whose mail goes out through a sender (SMTP_URL set), as tests see it. */
interface MailingHaven {
  readonly mail: { readonly sender: { drainOnce(): Promise<number> } | null };
}

/**
 * Sends everything the outbox holds now, as the background sender would, and returns once it is
 * empty (a test's fake clock never lets the real job run).
 */
export async function deliverOutbox(haven: MailingHaven): Promise<void> {
  const sender = haven.mail.sender;
  if (!sender) throw new Error('this Haven sends no mail: start it with SMTP_URL set');
  while ((await sender.drainOnce()) > 0);
}

export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Messages the server read fully before dropping the connection (the client saw an error). */
  droppedAfterData = 0;
  mode: SinkMode;
  readonly #server: SMTPServer;
  #port = 0;

  private constructor(mode: SinkMode, dropsBeforeAccepting: number) {
    this.mode = mode;
    let drops = dropsBeforeAccepting;
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const mode = this.mode === 'drop' && drops === 0 ? 'accept' : this.mode;
          if (mode === 'tempfail') {
            callback(
              Object.assign(new Error('Service not available, try again later'), { responseCode: 421 }),
            );
          } else if (mode === 'reject') {
            callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
          } else if (mode === 'drop') {
            // The message may well be "delivered" from our side: count it, then hang up unanswered.
            drops -= 1;
            this.droppedAfterData += 1;
            this.#record(session, raw)
              .catch(() => undefined)
              .finally(() => this.#socketOf(session)?.destroy());
          } else {
            this.#record(session, raw).then(() => callback(), callback);
          }
        });
      },
    });
  }

  /** `dropsBeforeAccepting` limits `drop` mode to that many messages, then behaves as `accept`. */
  static async start(mode: SinkMode = 'accept', dropsBeforeAccepting = Infinity): Promise<SmtpSink> {
    const sink = new SmtpSink(mode, dropsBeforeAccepting);
    await new Promise<void>((resolve) => sink.#server.listen(0, '127.0.0.1', resolve));
    sink.#port = (sink.#server.server.address() as AddressInfo).port;
    return sink;
  }

  /** smtp-server keeps its connections in a Set; the one carrying this session owns the socket. */
  #socketOf(session: SMTPServerSession): { destroy(): void } | undefined {
    const connections = (
      this.#server as unknown as {
        connections: Set<{ session: { id: string }; _socket: { destroy(): void } }>;
      }
    ).connections;
    for (const connection of connections) if (connection.session.id === session.id) return connection._socket;
    return undefined;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.#port}`;
  }

  async #record(session: SMTPServerSession, raw: string): Promise<void> {
    this.received.push({
      envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      raw,
      parsed: await simpleParser(raw),
    });
  }

  /** What reached this address (its envelope names it), oldest first. */
  receivedBy(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelopeTo.includes(address));
  }

  /** Received messages grouped by Message-ID, for counting duplicates. */
  countsByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const mail of this.received) {
      const id = mail.parsed.messageId ?? '(none)';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
