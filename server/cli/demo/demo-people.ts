import { randomBytes } from 'node:crypto';
import type { Haven } from '../../app';
import { TwoFactorService, twoFactorRequiredFor, type Role, type User } from '../../accounts';

export interface DemoPerson {
  readonly key: string;
  readonly user: User;
  readonly password: string;
  /** Base32 TOTP secret for staff (two-factor is mandatory for admins and therapists); printed once. */
  readonly totpSecret: string | null;
  readonly otpauthUri: string | null;
}

const PEOPLE: readonly { key: string; name: string; email: string; roles: Role[] }[] = [
  { key: 'admin', name: 'Alex Admin', email: 'admin@demo.haven.test', roles: ['admin'] },
  { key: 'therapist1', name: 'Dr. Maya Rivera', email: 'maya.rivera@demo.haven.test', roles: ['therapist'] },
  { key: 'therapist2', name: 'Sam Okafor, LCSW', email: 'sam.okafor@demo.haven.test', roles: ['therapist'] },
  { key: 'peer', name: 'Jordan Lee', email: 'jordan.lee@demo.haven.test', roles: ['peer_supporter'] },
  { key: 'client1', name: 'Riley Chen', email: 'riley.chen@demo.haven.test', roles: ['client'] },
  { key: 'client2', name: 'Casey Novak', email: 'casey.novak@demo.haven.test', roles: ['client'] },
];

/** Four random words' worth of entropy, easy to type: demo passwords are printed once and not stored. */
function demoPassword(): string {
  return randomBytes(12).toString('base64url');
}

export async function seedDemoPeople(haven: Haven): Promise<Map<string, DemoPerson>> {
  const people = new Map<string, DemoPerson>();
  for (const p of PEOPLE) {
    const password = demoPassword();
    const user = await haven.accounts.createUser(
      { email: p.email, displayName: p.name, password, roles: p.roles, isDemo: true },
      null,
    );
    let totpSecret: string | null = null;
    let otpauthUri: string | null = null;
    if (twoFactorRequiredFor(p.roles)) {
      totpSecret = haven.accounts.twoFactor.newSecret();
      const code = TwoFactorService.codeFor(totpSecret, new Date());
      await haven.accounts.twoFactor.enable(user.id, totpSecret, code, null, { consumeCode: false });
      otpauthUri = haven.accounts.twoFactor.provisioningUri(totpSecret, p.email, 'Haven demo');
    }
    people.set(p.key, { key: p.key, user, password, totpSecret, otpauthUri });
  }
  return people;
}
