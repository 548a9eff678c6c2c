import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { OverviewService, type OverviewDeps } from '../../../server/admin/overview.service';
import { FakeClock } from '../../../server/shared/clock';

/** The overview's "today" (in the clinic's zone), its attention flags and what it leaves out. */
describe('admin: overview', () => {
  const admin = { id: 'a', roles: ['admin'] };
  let asked: { from: Date; to: Date } | null = null;

  function overview(clock: FakeClock, zone: string, extra: Partial<OverviewDeps['ports']> = {}) {
    const deps = {
      accounts: { byId: async (id: string) => ({ id, displayName: `Therapist ${id}` }) },
      audit: { lastVerification: async () => ({ ok: true, at: new Date(0), problem: null }) },
      crisis: { openCount: async () => 2 },
      directory: {
        all: async () => [
          {
            kind: 'therapist',
            userId: 't1',
            displayName: 'Soon',
            licence: { expiresOn: '2026-12-10' },
            licenceStatus: { daysLeft: 13 },
          },
          {
            kind: 'therapist',
            userId: 't2',
            displayName: 'Later',
            licence: { expiresOn: '2027-06-01' },
            licenceStatus: { daysLeft: 186 },
          },
          {
            kind: 'therapist',
            userId: 't3',
            displayName: 'Gone',
            licence: { expiresOn: '2026-11-01' },
            licenceStatus: { daysLeft: -26 },
          },
          {
            kind: 'peer_supporter',
            userId: 'p',
            displayName: 'Peer',
            licence: { expiresOn: null },
            licenceStatus: { daysLeft: null },
          },
        ],
      },
      outbox: { counts: async () => ({ queued: 1, sending: 0, sent: 5, failed: 3 }) },
      scheduling: {
        sessionsStartingBetween: async (from: Date, to: Date) => {
          asked = { from, to };
          return [
            {
              id: 's',
              therapistId: 't1',
              start: new Date(from.getTime() + 3_600_000),
              end: new Date(from.getTime() + 6_600_000),
              format: 'video',
            },
          ];
        },
      },
      clock,
      timeZone: () => zone,
      ports: {
        dataDir: tmpdir(),
        lastBackup: async () => ({
          takenAt: new Date(clock.now().getTime() - 48 * 3_600_000),
          bytes: 1000,
          reason: 'scheduled',
        }),
        mediaHealthy: async () => null,
        mailConfigured: () => false,
        licenceWarningDays: 30,
        pendingErasureRequests: async () => 1,
        ...extra,
      },
    } as unknown as OverviewDeps;
    return new OverviewService(deps);
  }

  it("asks for today's sessions from local midnight to midnight in the clinic's zone", async () => {
    // 03:00 UTC on 27 Nov is still 26 Nov in New York (UTC-5).
    const clock = new FakeClock('2026-11-27T03:00:00Z');
    const view = await overview(clock, 'America/New_York').get(admin);
    assert.equal(view.today, 'Thursday 26 November 2026');
    assert.equal(asked!.from.toISOString(), '2026-11-26T04:59:59.999Z');
    assert.equal(asked!.to.toISOString(), '2026-11-27T04:59:59.999Z');
    assert.equal(view.sessions[0]!.therapistName, 'Therapist t1');
  });

  it('flags failed mail, stale backups, expiring and expired licences; disk from statfs', async () => {
    const view = await overview(new FakeClock('2026-11-27T12:00:00Z'), 'UTC').get(admin);
    assert.equal(view.openCrisisAlerts, 2);
    assert.equal(view.pendingErasureRequests, 1);
    assert.equal(view.mail.counts.failed, 3);
    assert.equal(view.mail.configured, false);
    assert.equal(view.backupStale, true);
    assert.deepEqual(
      view.licences.map((l) => l.name),
      ['Gone', 'Soon'],
    );
    assert.ok(
      view.disk && view.disk.totalBytes > 0 && view.disk.usedPercent >= 0 && view.disk.usedPercent <= 100,
    );
    assert.equal(view.media, null);
  });

  it('refuses anyone but an admin', async () => {
    const service = overview(new FakeClock('2026-11-27T12:00:00Z'), 'UTC');
    await assert.rejects(service.get({ id: 't', roles: ['therapist'] }), /admin\.forbidden/);
    await assert.rejects(
      service.get({ id: 'x', roles: ['admin'], status: 'deactivated' }),
      /admin\.forbidden/,
    );
  });
});
