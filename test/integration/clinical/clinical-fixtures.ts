import type { Haven } from '../../../server/app';
import type { Role, User } from '../../../server/accounts';
import type { ClinicalActor } from '../../../server/clinical';

let counter = 0;

/** A person straight through AccountsService (no sign-in needed for service-level tests). */
export async function person(haven: Haven, roles: Role[], name?: string): Promise<User> {
  counter += 1;
  return haven.accounts.createUser(
    {
      email: `${roles.join('-')}-${counter}-${Date.now()}@example.org`,
      displayName: name ?? `${roles.join('+')} ${counter}`,
      roles,
    },
    null,
  );
}

export const actor = (user: User): ClinicalActor => ({ id: user.id, roles: user.roles, ip: '127.0.0.1' });

export interface Cast {
  readonly admin: User;
  readonly therapist: User;
  readonly otherTherapist: User;
  readonly peer: User;
  readonly clientA: User;
  readonly clientB: User;
}

/** Everyone the privacy tests need; `therapist` treats client A only. */
export async function cast(haven: Haven): Promise<Cast> {
  const c: Cast = {
    admin: await person(haven, ['admin'], 'Ada Admin'),
    therapist: await person(haven, ['therapist'], 'Theo Therapist'),
    otherTherapist: await person(haven, ['therapist'], 'Olga Other'),
    peer: await person(haven, ['peer_supporter'], 'Pat Peer'),
    clientA: await person(haven, ['client'], 'Alice Client'),
    clientB: await person(haven, ['client'], 'Bob Client'),
  };
  await haven.clinical.care.assign(actor(c.admin), c.therapist.id, c.clientA.id);
  return c;
}

export const PHQ9_LOW = [1, 0, 1, 0, 0, 0, 0, 0, 0];
export const GAD7_MID = [2, 2, 1, 1, 1, 1, 1];
