import type { Haven } from '../../../server/app';
import type { MessagingActor } from '../../../server/messaging';
import { createPerson, type TestPerson } from '../../support/accounts';

/** The cast of the messaging tests: two clients, their therapists, and people who must see nothing. */
export interface Cast {
  readonly clientA: TestPerson;
  readonly clientB: TestPerson;
  readonly therapist: TestPerson;
  readonly otherTherapist: TestPerson;
  readonly peer: TestPerson;
  readonly admin: TestPerson;
}

/** Creates the cast (no two-factor: these tests call services directly) and the care assignments. */
export async function createCast(haven: Haven): Promise<Cast> {
  const person = (roles: Parameters<typeof createPerson>[1]['roles'], displayName: string) =>
    createPerson(haven, { roles, displayName, twoFactor: false });
  const [clientA, clientB, therapist, otherTherapist, peer, admin] = await Promise.all([
    person(['client'], 'Alex Client'),
    person(['client'], 'Blair Client'),
    person(['therapist'], 'Dr Theo Rapist'),
    person(['therapist'], 'Dr Other'),
    person(['peer_supporter'], 'Pat Peer'),
    person(['admin'], 'Ada Admin'),
  ]);
  await haven.clinical.care.assign(null, therapist.user.id, clientA.user.id);
  await haven.clinical.care.assign(null, otherTherapist.user.id, clientB.user.id);
  return { clientA, clientB, therapist, otherTherapist, peer, admin };
}

export const actor = (p: TestPerson): MessagingActor => ({
  id: p.user.id,
  roles: p.user.roles,
  ip: '127.0.0.1',
});

export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n');
export const PNG_BYTES = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('rest of a png'),
]);
/** The start of a Windows executable ("MZ" header, then the DOS stub text). */
export const EXE_BYTES = Buffer.concat([
  Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]),
  Buffer.from('This program cannot be run in DOS mode.'),
]);
