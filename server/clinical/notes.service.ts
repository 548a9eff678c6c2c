import type { Sequelize, Transaction } from 'sequelize';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError, phrase } from '../shared/errors';
import { newId } from '../shared/ids';
import { ClinicalAccess, type ClinicalActor } from './clinical-access';
import { canReadNotes, canUsePsychotherapyNotes, canWriteNotes } from './clinical.policy';
import type {
  Addendum,
  DraftListing,
  Note,
  NoteBody,
  NoteTemplate,
  NotesRepository,
  PsychotherapyNote,
} from './notes.repository';

/** The sections of each template, in the order a clinician writes them. */
export const NOTE_TEMPLATES: Readonly<Record<NoteTemplate, readonly { key: string; label: string }[]>> = {
  soap: [
    { key: 'subjective', label: 'Subjective' },
    { key: 'objective', label: 'Objective' },
    { key: 'assessment', label: 'Assessment' },
    { key: 'plan', label: 'Plan' },
  ],
  dap: [
    { key: 'data', label: 'Data' },
    { key: 'assessment', label: 'Assessment' },
    { key: 'plan', label: 'Plan' },
  ],
};

const MAX_SECTION = 20_000;

/** Keeps only the template's sections, as trimmed strings; unknown keys are dropped, not stored. */
export function normaliseBody(template: NoteTemplate, input: Readonly<Record<string, unknown>>): NoteBody {
  const body: Record<string, string> = {};
  for (const { key } of NOTE_TEMPLATES[template]) {
    const value = input[key];
    const text = typeof value === 'string' ? value.replace(/\r\n/g, '\n') : '';
    if (text.length > MAX_SECTION) {
      throw new AppError(
        'clinical.note_too_long',
        'bad_request',
        phrase(`clinical:problem.sectionTooLong.${key}`, { max: MAX_SECTION }),
      );
    }
    body[key] = text;
  }
  return body;
}

export interface NoteWithAddenda extends Note {
  readonly addenda: readonly Addendum[];
}

/**
 * Progress notes: drafts (autosaved with a revision check), sign and lock, addenda after signing.
 * Psychotherapy notes live apart and only their author reads them.
 */
export class NotesService {
  readonly #sequelize: Sequelize;
  readonly #repo: NotesRepository;
  readonly #access: ClinicalAccess;
  readonly #audit: AuditTrail;
  readonly #clock: Clock;

  constructor(deps: {
    sequelize: Sequelize;
    notes: NotesRepository;
    access: ClinicalAccess;
    audit: AuditTrail;
    clock: Clock;
  }) {
    this.#sequelize = deps.sequelize;
    this.#repo = deps.notes;
    this.#access = deps.access;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
  }

  #record(
    actor: ClinicalActor,
    action: string,
    note: { id: string; clientId: string },
    tx: Transaction,
    details?: Record<string, string | number>,
  ) {
    return this.#audit.record(
      {
        actorId: actor.id,
        action,
        targetType: 'clinical_note',
        targetId: note.id,
        subjectId: note.clientId,
        ip: actor.ip ?? null,
        ...(details ? { details } : {}),
      },
      tx,
    );
  }

  async create(
    actor: ClinicalActor,
    clientId: string,
    template: NoteTemplate,
    input: Readonly<Record<string, unknown>> = {},
    appointmentId: string | null = null,
  ): Promise<Note> {
    if (!NOTE_TEMPLATES[template]) throw new AppError('clinical.unknown_template', 'bad_request');
    await this.#access.require(actor, clientId, 'clinical_note', (f) => canWriteNotes(actor, f));
    const now = this.#clock.now();
    const note: Note = {
      id: newId(),
      clientId,
      authorId: actor.id,
      template,
      appointmentId,
      body: normaliseBody(template, input),
      status: 'draft',
      revision: 1,
      createdAt: now,
      updatedAt: now,
      signedAt: null,
    };
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.insert(note, tx);
      await this.#record(actor, 'note.created', note, tx, { template });
    });
    return note;
  }

  /** Loads a note the actor may write (its author, still treating), or refuses. */
  async #writable(actor: ClinicalActor, noteId: string): Promise<Note> {
    const note = await this.#repo.byId(noteId);
    if (!note)
      throw new AppError('clinical.note_not_found', 'not_found', phrase('clinical:problem.noSuchNote'));
    await this.#access.require(actor, note.clientId, 'clinical_note', (f) => canWriteNotes(actor, f));
    return note;
  }

  /** Autosave. `revision` is the one the editor loaded; returns the new revision. */
  async saveDraft(
    actor: ClinicalActor,
    noteId: string,
    input: Readonly<Record<string, unknown>>,
    revision: number,
  ) {
    const note = await this.#writable(actor, noteId);
    if (note.status === 'signed') {
      throw new AppError('clinical.note_signed', 'conflict', phrase('clinical:problem.noteSigned'));
    }
    if (note.authorId !== actor.id)
      throw new AppError('clinical.not_author', 'forbidden', phrase('clinical:problem.authorEdits'));
    const body = normaliseBody(note.template, input);
    return this.#sequelize.transaction(async (tx) => {
      if (!(await this.#repo.saveDraft(noteId, body, revision, this.#clock.now(), tx))) {
        throw new AppError('clinical.note_changed', 'conflict', phrase('clinical:problem.noteChanged'));
      }
      await this.#record(actor, 'note.updated', note, tx, { revision: revision + 1 });
      return revision + 1;
    });
  }

  async sign(actor: ClinicalActor, noteId: string): Promise<void> {
    const note = await this.#writable(actor, noteId);
    if (note.authorId !== actor.id)
      throw new AppError('clinical.not_author', 'forbidden', phrase('clinical:problem.authorSigns'));
    await this.#sequelize.transaction(async (tx) => {
      if (!(await this.#repo.sign(noteId, this.#clock.now(), tx))) {
        throw new AppError('clinical.note_signed', 'conflict', phrase('clinical:problem.alreadySigned'));
      }
      await this.#record(actor, 'note.signed', note, tx);
    });
  }

  /** After signing, the only change: an addendum with its own author, time and reason. */
  async addAddendum(actor: ClinicalActor, noteId: string, reason: string, body: string): Promise<Addendum> {
    const note = await this.#writable(actor, noteId);
    if (note.status !== 'signed') {
      throw new AppError(
        'clinical.note_not_signed',
        'conflict',
        phrase('clinical:problem.addendumForSigned'),
      );
    }
    if (!reason.trim() || !body.trim()) {
      throw new AppError(
        'clinical.addendum_incomplete',
        'bad_request',
        phrase('clinical:problem.addendumIncomplete'),
      );
    }
    if (reason.length > 2000 || body.length > MAX_SECTION) {
      throw new AppError('clinical.note_too_long', 'bad_request', phrase('clinical:problem.addendumTooLong'));
    }
    const addendum: Addendum = {
      id: newId(),
      noteId,
      authorId: actor.id,
      reason: reason.trim(),
      body: body.trim(),
      createdAt: this.#clock.now(),
    };
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.insertAddendum(addendum, tx);
      await this.#record(actor, 'note.addendum_added', note, tx, { addendumId: addendum.id });
    });
    return addendum;
  }

  /**
   * The actor's own notes still to sign, for their "today" page: client and date only. A note's
   * author only ever sees their own list; opening one goes through `read` (checked, audited).
   */
  async draftsToSign(actor: ClinicalActor): Promise<DraftListing[]> {
    if (!actor.roles.includes('therapist')) return [];
    return this.#repo.draftsBy(actor.id);
  }

  async read(actor: ClinicalActor, noteId: string): Promise<NoteWithAddenda> {
    const head = await this.#repo.byId(noteId);
    if (!head)
      throw new AppError('clinical.note_not_found', 'not_found', phrase('clinical:problem.noSuchNote'));
    const facts = await this.#access.require(actor, head.clientId, 'clinical_note', (f) =>
      canReadNotes(actor, f),
    );
    return this.#sequelize.transaction(async (tx) => {
      const note = (await this.#repo.byId(noteId, tx)) ?? head;
      const addenda = await this.#repo.addendaOf(noteId, tx);
      await this.#record(actor, 'note.read', note, tx, ClinicalAccess.via(actor, facts));
      return { ...note, addenda };
    });
  }

  async list(actor: ClinicalActor, clientId: string): Promise<Note[]> {
    const facts = await this.#access.require(actor, clientId, 'clinical_note', (f) => canReadNotes(actor, f));
    return this.#sequelize.transaction(async (tx) => {
      const notes = await this.#repo.ofClient(clientId, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'note.listed',
          targetType: 'clinical_note',
          subjectId: clientId,
          ip: actor.ip ?? null,
          details: { ...ClinicalAccess.via(actor, facts), count: notes.length },
        },
        tx,
      );
      return notes;
    });
  }

  async addPsychotherapyNote(
    actor: ClinicalActor,
    clientId: string,
    body: string,
  ): Promise<PsychotherapyNote> {
    await this.#access.require(actor, clientId, 'psychotherapy_note', (f) =>
      canUsePsychotherapyNotes(actor, f),
    );
    if (!body.trim() || body.length > MAX_SECTION) {
      throw new AppError(
        'clinical.note_empty',
        'bad_request',
        phrase('clinical:problem.psychotherapyNote', { max: MAX_SECTION }),
      );
    }
    const now = this.#clock.now();
    const note: PsychotherapyNote = {
      id: newId(),
      clientId,
      authorId: actor.id,
      body: body.trim(),
      createdAt: now,
      updatedAt: now,
    };
    await this.#sequelize.transaction(async (tx) => {
      await this.#repo.insertPsychotherapy(note, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'psychotherapy_note.created',
          targetType: 'psychotherapy_note',
          targetId: note.id,
          subjectId: clientId,
          ip: actor.ip ?? null,
        },
        tx,
      );
    });
    return note;
  }

  /** The actor's own psychotherapy notes about this client; never anyone else's. */
  async psychotherapyNotes(actor: ClinicalActor, clientId: string): Promise<PsychotherapyNote[]> {
    await this.#access.require(actor, clientId, 'psychotherapy_note', (f) =>
      canUsePsychotherapyNotes(actor, f),
    );
    return this.#sequelize.transaction(async (tx) => {
      const notes = await this.#repo.psychotherapyOf(actor.id, clientId, tx);
      await this.#audit.record(
        {
          actorId: actor.id,
          action: 'psychotherapy_note.read',
          targetType: 'psychotherapy_note',
          subjectId: clientId,
          ip: actor.ip ?? null,
          details: { count: notes.length },
        },
        tx,
      );
      return notes;
    });
  }
}
