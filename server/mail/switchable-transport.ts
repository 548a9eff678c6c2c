import type { MailTransport, TransportMessage } from './mail.types';

/**
 * The sender's transport when the SMTP server can change while Haven runs (the admin console sets
 * it). With no server, `ready()` is false and the sender leaves mail in the outbox untouched.
 */
export class SwitchableTransport implements MailTransport {
  readonly #make: (url: string) => MailTransport;
  #current: MailTransport | null = null;
  #url: string | undefined;

  constructor(make: (url: string) => MailTransport, url: string | undefined) {
    this.#make = make;
    this.use(url);
  }

  /** Switches to `url` (undefined: no server). The old connection pool is closed. */
  use(url: string | undefined): void {
    if (url === this.#url && (this.#current !== null) === Boolean(url)) return;
    this.#current?.close();
    this.#url = url;
    this.#current = url ? this.#make(url) : null;
  }

  ready(): boolean {
    return this.#current !== null;
  }

  async send(message: TransportMessage): Promise<void> {
    if (!this.#current) throw new Error('no SMTP server is configured');
    await this.#current.send(message);
  }

  close(): void {
    this.#current?.close();
    this.#current = null;
  }
}
