import type { Haven } from '../../../server/app';
import type { User } from '../../../server/accounts';
import { createUser } from '../../support/accounts';
import type { ClinicalActor } from '../../../server/clinical';

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
    admin: await createUser(haven, { roles: ['admin'], displayName: 'Ada Admin' }),
    therapist: await createUser(haven, { roles: ['therapist'], displayName: 'Theo Therapist' }),
    otherTherapist: await createUser(haven, { roles: ['therapist'], displayName: 'Olga Other' }),
    peer: await createUser(haven, { roles: ['peer_supporter'], displayName: 'Pat Peer' }),
    clientA: await createUser(haven, { roles: ['client'], displayName: 'Alice Client' }),
    clientB: await createUser(haven, { roles: ['client'], displayName: 'Bob Client' }),
  };
  await haven.clinical.care.assign(actor(c.admin), c.therapist.id, c.clientA.id);
  return c;
}

export const PHQ9_LOW = [1, 0, 1, 0, 0, 0, 0, 0, 0];
export const GAD7_MID = [2, 2, 1, 1, 1, 1, 1];
