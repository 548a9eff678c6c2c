import { createPerson, type TestPerson } from '../../support/accounts';
import { startTestHaven, type TestHaven, type TestHavenOptions } from '../../support/test-haven';
import { MATRIX_SETUP, type MatrixFixtures, type SignedInCaller } from './route-matrix.expectations';

/** A Haven holding the matrix's six callers and every feature's MATRIX_SETUP data. */
export interface MatrixHaven {
  readonly t: TestHaven;
  readonly people: Readonly<Record<SignedInCaller, TestPerson>>;
  readonly fx: MatrixFixtures;
}

/**
 * Starts a Haven and fills it the way the route × role matrix expects. The matrix test (statuses) and
 * the every-page browser check (layout, accessibility) both use this, so a feature's fixture data,
 * added once in MATRIX_SETUP, is there for both.
 */
export async function startMatrixHaven(
  options: TestHavenOptions & { beforePeople?: (t: TestHaven) => Promise<void> } = {},
): Promise<MatrixHaven> {
  const { beforePeople, ...havenOptions } = options;
  const t = await startTestHaven({
    ...havenOptions,
    env: {
      AUTH_ATTEMPTS_PER_IP: '10000',
      AUTH_ATTEMPTS_PER_ACCOUNT: '1000',
      // The appointment page's per-session encryption choice (issue 23) is a route and a form only then.
      ROOM_E2EE: 'per-session',
      ...havenOptions.env,
    },
  });
  try {
    await beforePeople?.(t);
    const people: Record<SignedInCaller, TestPerson> = {
      admin: await createPerson(t.haven, { roles: ['admin'] }),
      therapist: await createPerson(t.haven, { roles: ['therapist'] }),
      peer: await createPerson(t.haven, { roles: ['peer_supporter'] }),
      clientA: await createPerson(t.haven, { roles: ['client'] }),
      clientB: await createPerson(t.haven, { roles: ['client'] }),
    };
    const users = {
      admin: people.admin.user,
      therapist: people.therapist.user,
      peer: people.peer.user,
      clientA: people.clientA.user,
      clientB: people.clientB.user,
    };
    const fx: MatrixFixtures = { haven: t.haven, users, vars: {} };
    for (const setup of MATRIX_SETUP) await setup(fx);
    return { t, people, fx };
  } catch (error) {
    await t.stop();
    throw error;
  }
}
