import assert from 'node:assert/strict';
import type { User } from '../../../server/accounts';
import { FakeClock } from '../../../server/shared/clock';
import { createUser } from '../../support/accounts';
import { makeBookable } from '../../support/practice';
import { SmtpSink } from '../../support/smtp-sink';
import { startTwoNodes, type TwoNodes } from '../../support/two-nodes';
import { actor, individualType, weekdayHours } from '../scheduling/scheduling-fixtures';

const HOUR = 3_600_000;

/** Waits (polling, at most `ms`) until `ready()` holds; false if it never did. */
async function until(ready: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ready()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return ready();
}

/**
 * Background jobs run on one node at a time (issue 22, step 4): two nodes on one PostgreSQL
 * database, both with their jobs started as `npm start` starts them, one loopback SMTP server
 * counting what arrives. A reminder due while both run is sent exactly once; when the leading node
 * goes, the other takes over and the next reminder still goes out, once.
 */
describe('cluster: background jobs run on one node at a time', function () {
  this.timeout(90_000);
  let nodes: TwoNodes;
  let sink: SmtpSink;
  let client: User;
  let therapist: User;
  const clock = new FakeClock('2026-03-02T12:00:00Z');
  const reminders = () => sink.received.filter((m) => /^Reminder/.test(m.parsed.subject ?? ''));

  before(async function () {
    sink = await SmtpSink.start();
    nodes = await startTwoNodes(this, {
      media: false,
      background: true,
      clock,
      env: {
        SMTP_URL: sink.url,
        SCHEDULING_REMINDER_POLL_SECONDS: '1',
        MAIL_POLL_INTERVAL_MS: '100',
        NODE_HEARTBEAT_SECONDS: '1',
        NODE_DEAD_AFTER_SECONDS: '3',
      },
    });
  });
  after(async () => {
    await nodes?.stop();
    await sink?.stop();
  });

  it('exactly one node leads; a reminder due while both run is emailed once; the other takes over when the leader stops', async () => {
    const { a, b } = nodes;
    assert.ok(
      await until(() => a.haven.runsBackgroundJobs || b.haven.runsBackgroundJobs, 10_000),
      'a leader is elected',
    );
    assert.notEqual(a.haven.runsBackgroundJobs, b.haven.runsBackgroundJobs, 'one node leads, not two');
    const [leader, follower] = a.haven.runsBackgroundJobs ? [a, b] : [b, a];

    const admin = await createUser(a.haven, { roles: ['admin'], timeZone: 'Europe/London' });
    therapist = await createUser(a.haven, { roles: ['therapist'], timeZone: 'Europe/London' });
    client = await createUser(b.haven, { roles: ['client'], timeZone: 'Europe/London' });
    await weekdayHours(a.haven, therapist, 'Europe/London');
    await makeBookable(a.haven, therapist, admin);
    const type = await individualType(a.haven, admin);
    // Booked through the follower: where a change was made does not decide who mails about it.
    const appointment = await follower.haven.scheduling.booking.bookAsClient(actor(client), {
      therapistId: therapist.id,
      typeId: type.id,
      start: '2026-03-10T09:00:00.000Z',
    });
    assert.ok(await until(() => sink.received.length >= 2, 15_000), 'the two confirmations arrive');
    sink.received.length = 0;

    // The 24 h reminder falls due while both nodes poll every second.
    clock.set(new Date(appointment.start.getTime() - 23 * HOUR));
    assert.ok(await until(() => reminders().length >= 2, 15_000), 'the reminders arrive');
    // Long enough for a second sender, if there were one, to have sent again (several poll rounds).
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal(reminders().length, 2, 'one to the client, one to the therapist, each once');
    assert.ok(
      [...sink.countsByMessageId().values()].every((n) => n === 1),
      'no Message-ID twice',
    );

    // The leader goes; the follower takes over within a few heartbeats and sends the 1 h reminder.
    await leader.stop();
    const stoppedAt = Date.now();
    assert.ok(await until(() => follower.haven.runsBackgroundJobs, 10_000), 'the other node takes over');
    const takeoverMs = Date.now() - stoppedAt;
    clock.set(new Date(appointment.start.getTime() - HOUR + 60_000));
    assert.ok(await until(() => reminders().length >= 4, 15_000), 'the 1 h reminders arrive');
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(reminders().length, 4);
    assert.ok([...sink.countsByMessageId().values()].every((n) => n === 1));
    process.stdout.write(`      (job leadership taken over ${takeoverMs} ms after the leader stopped)\n`);
  });
});
