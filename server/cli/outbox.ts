import type { OutboxStatus } from '../mail';
import { runCli, say } from './cli-support';

const STATUSES: readonly OutboxStatus[] = ['queued', 'sending', 'sent', 'failed'];

/**
 * `npm run outbox` lists the newest emails in the outbox (where mail waits when no SMTP server is
 * configured). `-- show <id>` prints one in full; `-- retry <id>` re-queues a failed one;
 * `-- queued|sent|failed` filters.
 */
void runCli(async (haven, args) => {
  const [command, id] = args;
  if (command === 'show' && id) {
    const message = (await haven.mail.outbox.list({ limit: 10_000 })).find((m) => m.id === id);
    if (!message) {
      say(`no email with id ${id}`);
      return 1;
    }
    say(
      `To:      ${message.to}\nSubject: ${message.subject}\nStatus:  ${message.status} (${message.attempts} attempts)`,
    );
    if (message.lastError) say(`Error:   ${message.lastError}`);
    say('');
    say(message.text);
    return 0;
  }
  if (command === 'retry' && id) {
    say((await haven.mail.outbox.retry(id)) ? `re-queued ${id}` : `${id} is not a failed email`);
    return 0;
  }
  const status = STATUSES.find((s) => s === command);
  const counts = await haven.mail.outbox.counts();
  say(STATUSES.map((s) => `${s}: ${counts[s]}`).join('   '));
  if (!haven.config.mail.smtpUrl) say('No SMTP_URL is configured: emails wait here until one is.');
  for (const m of await haven.mail.outbox.list({ ...(status ? { status } : {}), limit: 50 })) {
    say(`${m.createdAt.toISOString()}  ${m.status.padEnd(7)}  ${m.id}  ${m.to}  ${m.subject}`);
  }
  return 0;
});
