import { QueryTypes, type Transaction } from 'sequelize';
import type { ClinicalModels, NoteRow } from './clinical.model';
import type { Sealer } from './sealer';

export type NoteTemplate = 'soap' | 'dap';
export type NoteBody = Readonly<Record<string, string>>;

export interface Addendum {
  readonly id: string;
  readonly noteId: string;
  readonly authorId: string;
  readonly reason: string;
  readonly body: string;
  readonly createdAt: Date;
}

export interface Note {
  readonly id: string;
  readonly clientId: string;
  readonly authorId: string;
  readonly template: NoteTemplate;
  readonly appointmentId: string | null;
  readonly body: NoteBody;
  readonly status: 'draft' | 'signed';
  readonly revision: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly signedAt: Date | null;
}

/** A draft as a to-do: whose note, started when. */
export interface DraftListing {
  readonly id: string;
  readonly clientId: string;
  readonly createdAt: Date;
}

export interface PsychotherapyNote {
  readonly id: string;
  readonly clientId: string;
  readonly authorId: string;
  readonly body: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Progress notes, their addenda, and the separate psychotherapy notes. */
export class NotesRepository {
  readonly #m: ClinicalModels;
  readonly #sealer: Sealer;

  constructor(models: ClinicalModels, sealer: Sealer) {
    this.#m = models;
    this.#sealer = sealer;
  }

  #toNote(p: NoteRow): Note {
    return {
      id: p.id,
      clientId: p.client_id,
      authorId: p.author_id,
      template: p.template as NoteTemplate,
      appointmentId: p.appointment_id,
      body: this.#sealer.open<NoteBody>(p.body_enc, 'clinical_notes', 'body', p.id),
      status: p.status === 'signed' ? 'signed' : 'draft',
      revision: p.revision,
      createdAt: new Date(p.created_at),
      updatedAt: new Date(p.updated_at),
      signedAt: p.signed_at ? new Date(p.signed_at) : null,
    };
  }

  async insert(note: Note, transaction: Transaction): Promise<void> {
    await this.#m.notes.create(
      {
        id: note.id,
        client_id: note.clientId,
        author_id: note.authorId,
        template: note.template,
        appointment_id: note.appointmentId,
        body_enc: this.#sealer.seal(note.body, 'clinical_notes', 'body', note.id),
        status: 'draft',
        revision: 1,
        created_at: note.createdAt,
        updated_at: note.updatedAt,
        signed_at: null,
      },
      { transaction },
    );
  }

  async byId(id: string, transaction?: Transaction): Promise<Note | null> {
    const row = await this.#m.notes.findByPk(id, { transaction });
    return row ? this.#toNote(row.get({ plain: true })) : null;
  }

  /** An author's unsigned notes: which client and when, never the body (it stays sealed). */
  /**
   * Plain SQL: the therapist's "today" lists these on every visit, and Sequelize's query building
   * and model instances cost more than the read. created_at is text from SQLite, a Date from PostgreSQL.
   */
  async draftsBy(authorId: string): Promise<DraftListing[]> {
    const rows = await this.#m.notes.sequelize!.query<{
      id: string;
      client_id: string;
      created_at: Date | string;
    }>(
      `SELECT id, client_id, created_at FROM clinical_notes
        WHERE author_id = :authorId AND status = 'draft'
        ORDER BY created_at ASC`,
      { replacements: { authorId }, type: QueryTypes.SELECT },
    );
    return rows.map((p) => ({ id: p.id, clientId: p.client_id, createdAt: new Date(p.created_at) }));
  }

  async ofClient(clientId: string, transaction?: Transaction): Promise<Note[]> {
    const rows = await this.#m.notes.findAll({
      where: { client_id: clientId },
      order: [['created_at', 'DESC']],
      transaction,
    });
    return rows.map((r) => this.#toNote(r.get({ plain: true })));
  }

  /**
   * Saves a draft only if it is still a draft at the revision the editor started from, so a late
   * autosave can neither overwrite a signed note nor a newer save from another tab.
   */
  async saveDraft(id: string, body: NoteBody, revision: number, now: Date, transaction: Transaction) {
    const [count] = await this.#m.notes.update(
      {
        body_enc: this.#sealer.seal(body, 'clinical_notes', 'body', id),
        revision: revision + 1,
        updated_at: now,
      },
      { where: { id, status: 'draft', revision }, transaction },
    );
    return count > 0;
  }

  async sign(id: string, now: Date, transaction: Transaction): Promise<boolean> {
    const [count] = await this.#m.notes.update(
      { status: 'signed', signed_at: now, updated_at: now },
      { where: { id, status: 'draft' }, transaction },
    );
    return count > 0;
  }

  async insertAddendum(a: Addendum, transaction: Transaction): Promise<void> {
    await this.#m.addenda.create(
      {
        id: a.id,
        note_id: a.noteId,
        author_id: a.authorId,
        reason_enc: this.#sealer.seal(a.reason, 'note_addenda', 'reason', a.id),
        body_enc: this.#sealer.seal(a.body, 'note_addenda', 'body', a.id),
        created_at: a.createdAt,
      },
      { transaction },
    );
  }

  async addendaOf(noteId: string, transaction?: Transaction): Promise<Addendum[]> {
    const rows = await this.#m.addenda.findAll({
      where: { note_id: noteId },
      order: [['created_at', 'ASC']],
      transaction,
    });
    return rows.map((r) => {
      const p = r.get({ plain: true });
      return {
        id: p.id,
        noteId: p.note_id,
        authorId: p.author_id,
        reason: this.#sealer.open<string>(p.reason_enc, 'note_addenda', 'reason', p.id),
        body: this.#sealer.open<string>(p.body_enc, 'note_addenda', 'body', p.id),
        createdAt: new Date(p.created_at),
      };
    });
  }

  async insertPsychotherapy(n: PsychotherapyNote, transaction: Transaction): Promise<void> {
    await this.#m.psychotherapyNotes.create(
      {
        id: n.id,
        client_id: n.clientId,
        author_id: n.authorId,
        body_enc: this.#sealer.seal(n.body, 'psychotherapy_notes', 'body', n.id),
        created_at: n.createdAt,
        updated_at: n.updatedAt,
      },
      { transaction },
    );
  }

  async psychotherapyOf(authorId: string, clientId: string, transaction?: Transaction) {
    const rows = await this.#m.psychotherapyNotes.findAll({
      where: { author_id: authorId, client_id: clientId },
      order: [['created_at', 'DESC']],
      transaction,
    });
    return rows.map((r): PsychotherapyNote => {
      const p = r.get({ plain: true });
      return {
        id: p.id,
        clientId: p.client_id,
        authorId: p.author_id,
        body: this.#sealer.open<string>(p.body_enc, 'psychotherapy_notes', 'body', p.id),
        createdAt: new Date(p.created_at),
        updatedAt: new Date(p.updated_at),
      };
    });
  }
}
