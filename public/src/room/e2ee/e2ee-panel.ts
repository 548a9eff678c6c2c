/**
 * The room page's encryption line (views/rooms/_e2ee.ejs): which kind of session this is, and the
 * safety code to read aloud. The words are the server's (rendered in the person's language); this
 * only shows one of them.
 */
export type E2eeState = 'on' | 'off' | 'refused';

export class E2eePanel {
  readonly #doc: Document;
  #state: E2eeState | null = null;
  #code: string | null = null;

  constructor(doc: Document) {
    this.#doc = doc;
  }

  get state(): E2eeState | null {
    return this.#state;
  }

  get safetyCode(): string | null {
    return this.#code;
  }

  show(state: E2eeState): void {
    this.#state = state;
    const root = this.#el('e2ee');
    if (!root) return;
    root.hidden = false;
    for (const s of ['on', 'off', 'refused'] as const) {
      const line = this.#el(`e2ee-${s}`);
      if (line) line.hidden = s !== state;
    }
    if (state !== 'on') this.setCode(null);
  }

  /** The code for everyone in the call now; hidden while alone. */
  setCode(code: string | null): void {
    this.#code = code;
    const box = this.#el('e2ee-code');
    const digits = this.#el('e2ee-code-digits');
    if (!box || !digits) return;
    digits.textContent = code ?? '';
    box.hidden = code === null;
  }

  hide(): void {
    const root = this.#el('e2ee');
    if (root) root.hidden = true;
  }

  #el(id: string): HTMLElement | null {
    return this.#doc.getElementById(id);
  }
}
