import type { Haven } from '../../../server/app';
import type { User } from '../../../server/accounts';
import type { FakeClock } from '../../../server/shared/clock';
import { newId } from '../../../server/shared/ids';
import { createPerson, type TestPerson } from '../../support/accounts';
import { weekdayHours } from '../scheduling/scheduling-fixtures';
import { PNG_BYTES } from '../messaging/messaging-support';

/**
 * Two clients of the same therapist, each with a full record whose every free-text value carries
 * the client's own marker (`ALICE-…` / `BORIS-…`), so a test can prove that nothing of one client
 * appears in the other's export or survives their erasure.
 */
export interface SeededClient {
  readonly person: TestPerson;
  readonly user: User;
  readonly marker: string;
  /** An appointment that has happened (clock moved past it) and one still ahead. */
  readonly pastAppointmentId: string;
  readonly upcomingAppointmentId: string;
  readonly threadId: string;
  readonly attachmentId: string;
  readonly noteId: string;
  readonly psychotherapyNoteId: string;
  readonly measureIds: readonly string[];
  readonly roomId: string;
  /** Every id of this client's rows, to look for in places they must not be. */
  readonly ids: readonly string[];
}

export interface DataRightsCast {
  readonly admin: TestPerson;
  readonly therapist: TestPerson;
  readonly alice: SeededClient;
  readonly boris: SeededClient;
}

const CHAT_CONTEXT = 'room_chat_messages.body';

/** An actor every feature accepts (clinical wants typed roles). */
const actor = (u: User) => ({ id: u.id, roles: u.roles, ip: '127.0.0.1' });

async function seedClient(
  haven: Haven,
  clock: FakeClock,
  therapist: TestPerson,
  typeId: string,
  name: string,
  marker: string,
  hour: number,
): Promise<SeededClient> {
  const person = await createPerson(haven, { roles: ['client'], displayName: name });
  const client = person.user;
  const me = actor(client);
  const th = actor(therapist.user);
  await haven.clinical.care.assign(null, therapist.user.id, client.id);

  // Appointments: one tomorrow (will be in the past after the clock moves) and one far ahead.
  const past = await haven.scheduling.booking.bookForClient(th, {
    typeId,
    clientIds: [client.id],
    start: `2026-03-10T${String(hour).padStart(2, '0')}:00:00.000Z`,
    reason: `${marker}-booking-reason`,
  });
  const upcoming = await haven.scheduling.booking.bookForClient(th, {
    typeId,
    clientIds: [client.id],
    start: `2026-04-14T${String(hour).padStart(2, '0')}:00:00.000Z`,
  });

  // Intake (after consent) and questionnaires.
  await haven.clinical.intake.signConsent(me, { typedName: `${marker} Fullname`, version: 1 });
  await haven.clinical.intake.submitIntake(me, {
    form: {
      emergencyContactName: `${marker}-contact`,
      emergencyContactPhone: '+1 503 555 0100',
      location: 'Portland, Oregon',
      reasons: `${marker}-intake-reasons`,
      goals: `${marker}-intake-goals`,
    },
    phq9: { answers: [1, 2, 1, 0, 1, 0, 1, 0, 0] },
    gad7: { answers: [2, 2, 1, 1, 1, 1, 1] },
  });
  const measureIds = (await haven.clinical.measures.results(me, client.id)).map((m) => m.id);

  // A signed progress note, an addendum, and a psychotherapy note (never exported).
  const note = await haven.clinical.notes.create(th, client.id, 'soap', {
    subjective: `${marker}-note-subjective`,
    plan: `${marker}-note-plan`,
  });
  await haven.clinical.notes.sign(th, note.id);
  await haven.clinical.notes.addAddendum(th, note.id, `${marker}-addendum-reason`, `${marker}-addendum-body`);
  await haven.clinical.notes.addPsychotherapyNote(th, client.id, `${marker}-PSYCHOTHERAPY-NOTE`);

  // Messages both ways, one with an attachment.
  const threadId = await haven.messaging.inbox.open(me, therapist.user.id);
  const sent = await haven.messaging.messages.send(me, threadId, {
    body: `${marker}-message-from-client`,
    attachment: { bytes: PNG_BYTES, originalName: `${marker}-scan.png` },
  });
  await haven.messaging.messages.send(th, threadId, { body: `${marker}-message-from-therapist` });
  const attachmentId = sent.attachments[0]!.id;

  // The session's room and a line of chat each way (written as the room's chat service stores it).
  const room = await haven.rooms.access.forAppointment(
    { id: client.id, displayName: client.displayName, roles: client.roles },
    past.id,
  );
  for (const [senderId, body] of [
    [client.id, `${marker}-chat-from-client`],
    [therapist.user.id, `${marker}-chat-from-therapist`],
  ] as const) {
    await haven.sequelize.getQueryInterface().bulkInsert('room_chat_messages', [
      {
        id: newId(),
        room_id: room.id,
        sender_id: senderId,
        body_enc: haven.cipher.encrypt(body, CHAT_CONTEXT),
        created_at: clock.now(),
      },
    ]);
  }

  const psychotherapy = await haven.clinical.notes.psychotherapyNotes(th, client.id);
  return {
    person,
    user: client,
    marker,
    pastAppointmentId: past.id,
    upcomingAppointmentId: upcoming.id,
    threadId,
    attachmentId,
    noteId: note.id,
    psychotherapyNoteId: psychotherapy[0]!.id,
    measureIds,
    roomId: room.id,
    ids: [client.id, past.id, upcoming.id, threadId, sent.id, attachmentId, note.id, ...measureIds],
  };
}

/** The cast, seeded at 2026-03-09 12:00 UTC; the clock is then moved to 2026-03-11 (one session held). */
export async function seedDataRightsCast(haven: Haven, clock: FakeClock): Promise<DataRightsCast> {
  const admin = await createPerson(haven, { roles: ['admin'], displayName: 'Ada Admin' });
  const therapist = await createPerson(haven, { roles: ['therapist'], displayName: 'Dr Theo Rivera' });
  await weekdayHours(haven, therapist.user, 'UTC');
  const type = await haven.scheduling.schedule.createType(actor(admin.user), {
    name: 'Individual session',
    durationMinutes: 50,
    format: 'video',
    kind: 'individual',
  });
  const alice = await seedClient(haven, clock, therapist, type.id, 'Alice Anders', 'ALICE', 10);
  const boris = await seedClient(haven, clock, therapist, type.id, 'Boris Brandt', 'BORIS', 14);
  clock.set('2026-03-11T12:00:00Z');
  return { admin, therapist, alice, boris };
}
