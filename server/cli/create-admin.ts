import { randomBytes } from 'node:crypto';
import { passwordProblem } from '../accounts';
import { createTranslator, problemText } from '../i18n';
import { runCli, say } from './cli-support';

/**
 * `npm run create-admin -- --email ada@example.org --name "Ada Lovelace" [--clinic-name "Calm Waters"]`
 *
 * Creates an administrator for headless installs (the web alternative is /setup on first run). The
 * password is read from standard input when it is piped (`… < file`), otherwise a strong one is
 * generated and printed once. Two-factor enrolment happens at the first sign-in, as for every admin.
 */
function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index >= 0) return args[index + 1];
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

void runCli(async (haven, args) => {
  const email = option(args, 'email');
  const name = option(args, 'name');
  if (!email || !name) {
    say('Usage: npm run create-admin -- --email <address> --name "<display name>" [--clinic-name "<name>"]');
    say('The password is read from standard input if piped; otherwise one is generated and shown once.');
    return 64; // EX_USAGE
  }
  const piped = !process.stdin.isTTY;
  const password = piped ? await readStdin() : randomBytes(18).toString('base64url');
  const problem = passwordProblem(password, haven.config.accounts.passwordMinLength, [email, name]);
  if (problem) {
    // An operator's terminal: the English words.
    say(`That password cannot be used: ${problemText(createTranslator().fixedT('en'), problem)}`);
    return 65; // EX_DATAERR
  }
  const user = await haven.accounts.createUser(
    { email, displayName: name, password, roles: ['admin'], emailVerified: true },
    null,
  );
  const clinicName = option(args, 'clinic-name');
  if (clinicName) await haven.accounts.clinic.update({ clinicName });
  say(`Administrator ${user.email} created.`);
  if (!piped) {
    say(`Password (shown only now): ${password}`);
  }
  say(`Sign in at ${haven.config.http.publicUrl}/sign-in; you will set up two-factor sign-in first.`);
  return 0;
});
