import { runCli, say } from './cli-support';
import { seedDemoBilling } from './demo/demo-billing';
import { seedDemoCarePlanning } from './demo/demo-care-planning';
import { seedDemoClinical } from './demo/demo-clinical';
import { seedDemoGroups } from './demo/demo-groups';
import { seedDemoMessages } from './demo/demo-messages';
import { seedDemoPeople } from './demo/demo-people';
import { seedDemoScheduling } from './demo/demo-scheduling';

/**
 * `npm run seed:demo`: a small demo clinic for evaluation. Refuses to touch a database that has real
 * (non-demo) people or has been seeded already. Passwords are printed once and never stored in clear.
 * Features add their demo data as further steps below, each in its own file under cli/demo/.
 */
void runCli(async (haven) => {
  if ((await haven.accounts.countRealUsers()) > 0) {
    say('This database has real users: refusing to add demo data. Use a fresh DATA_DIR for a demo.');
    return 2;
  }
  if ((await haven.accounts.countUsers()) > 0) {
    say('Demo data is already present (demo passwords were printed when it was created).');
    return 2;
  }
  const people = await seedDemoPeople(haven);
  await seedDemoClinical(haven, people);
  await seedDemoCarePlanning(haven, people);
  await seedDemoMessages(haven, people);
  await seedDemoGroups(haven, people);
  await seedDemoScheduling(haven, people);
  await seedDemoBilling(haven, people);

  say(`Demo clinic created. Sign in at ${haven.config.http.publicUrl} with:`);
  say('');
  for (const person of people.values()) {
    say(`  ${person.user.roles.join('+').padEnd(15)} ${person.user.email.padEnd(32)} ${person.password}`);
  }
  say('');
  say('Staff sign in with a second factor. Add each key to an authenticator app (or open the otpauth link):');
  for (const person of people.values()) {
    if (!person.totpSecret) continue;
    say(`  ${person.user.email.padEnd(32)} key ${person.totpSecret}`);
    say(`  ${''.padEnd(32)} ${person.otpauthUri ?? ''}`);
  }
  say('');
  say('These passwords and keys are shown only now. Demo accounts are marked as demo data.');
  return 0;
});
