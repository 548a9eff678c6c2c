import { strict as assert } from 'node:assert';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { relayLossPercent, startLoopbackCoturn, type LoopbackCoturn } from '../../support/coturn';
import { DOCKER_DIR, requireBinaries } from './appliance-support';
import { cidr, covered, isPrefixAligned, parseRange, parseTurnConf } from './coturn-config';

const CONF = join(DOCKER_DIR, 'coturn', 'turnserver.conf');

/** Every range a TURN relay must refuse, in each spelling that reaches it. */
const MUST_DENY = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::ffff:10.0.0.0/104',
  '::ffff:100.64.0.0/106',
  '::ffff:127.0.0.0/104',
  '::ffff:169.254.0.0/112',
  '::ffff:172.16.0.0/108',
  '::ffff:192.168.0.0/112',
  '::ffff:224.0.0.0/100',
  '::ffff:240.0.0.0/100',
  '::1/128',
  '::127.0.0.0/104',
  '::10.0.0.0/104',
  '64:ff9b::/96',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
].map(cidr);

describe('appliance: coturn configuration (parsed)', () => {
  const lines = parseTurnConf(readFileSync(CONF, 'utf8'));
  const keys = new Set(lines.map((l) => l.key));
  const denied = lines.filter((l) => l.key === 'denied-peer-ip').map((l) => parseRange(l.value ?? ''));

  for (const range of MUST_DENY) {
    it(`denies relaying to ${range.text}`, () => {
      assert.ok(covered(range, denied), `${range.text} is not fully covered by denied-peer-ip lines`);
    });
  }

  it('writes no range that coturn would read differently from how it looks', () => {
    for (const range of denied) {
      // coturn treats an all-zero first address as "no lower bound" and places every IPv4 address
      // below every IPv6 one: such a range would deny far more (or everything).
      assert.notEqual(range.first, 0n, `${range.text} starts at the unspecified address`);
      // coturn compares IPv6 bounds byte by byte, so only whole prefixes mean what they say.
      if (range.family === 6) assert.ok(isPrefixAligned(range), `${range.text} is not a whole prefix`);
    }
  });

  it('uses the REST-API shared secret, no multicast or loopback peers, no TLS below 1.2', () => {
    for (const key of ['use-auth-secret', 'no-multicast-peers', 'no-tlsv1', 'no-tlsv1_1', 'no-cli']) {
      assert.ok(keys.has(key), `missing ${key}`);
    }
    for (const key of ['allow-loopback-peers', 'no-auth', 'lt-cred-mech', 'server-relay', 'no-tlsv1_2']) {
      assert.ok(!keys.has(key), `${key} must not be set`);
    }
    // The secret is per install (docker/.env); it never lives in the shared policy file.
    assert.ok(!keys.has('static-auth-secret'));
  });

  it('gets the secret and the SFU addresses from compose, refusing to start without them', () => {
    const compose = readFileSync(join(DOCKER_DIR, 'compose.yaml'), 'utf8');
    const start = readFileSync(join(DOCKER_DIR, 'coturn', 'start.sh'), 'utf8');
    // compose refuses to start coturn without either address or the secret...
    for (const key of ['PUBLIC_IP', 'PRIVATE_IP', 'TURN_SECRET', 'DOMAIN'])
      assert.match(compose, new RegExp(`${key}: \\$\\{${key}:\\?[^}]+\\}`), key);
    // ...and so does the start script (an empty --allowed-peer-ip would parse as 0.0.0.0, which
    // coturn reads as "allow everything").
    assert.match(start, /"\$\{PUBLIC_IP:\?[^}]+\}" "\$\{PRIVATE_IP:\?[^}]+\}"/);
    assert.match(start, /--allowed-peer-ip="\$PRIVATE_IP"/);
    // The secret reaches coturn through its environment into a private config copy, never argv.
    assert.match(start, /printf 'static-auth-secret=%s\\n[^']*' "\$TURN_SECRET"/);
    assert.doesNotMatch(`${compose}${start}`, /--static-auth-secret/);
    // Haven gets the same variable, so both sides sign and check with one secret.
    assert.match(compose, /TURN_SECRET: \$\{TURN_SECRET:\?[^}]+\}/);
  });
});

/** Haven's TURN REST credential: username "expiry:userId", password base64(HMAC-SHA1(secret, username)). */
function credential(secret: string, expiresAtSec: number, userId: string): { user: string; pass: string } {
  const user = `${expiresAtSec}:${userId}`;
  return { user, pass: createHmac('sha1', secret).update(user).digest('base64') };
}

describe('appliance: Debian turnserver runs our config on loopback', function () {
  this.timeout(60_000);
  const secret = randomBytes(32).toString('base64url');
  // Our policy file unchanged, plus loopback-only listening (IPv4 and ::1) and the per-install
  // values compose passes; the stand-in SFU on 127.0.0.2 is the one allowed loopback peer, every
  // other loopback address stays denied by the list.
  let turn: LoopbackCoturn | undefined;
  const sfu = (): string => turn!.sfu;
  const uclient = (args: string[]): Promise<string> => turn!.uclient(args);

  before(async function () {
    requireBinaries(this, ['turnserver', 'turnutils_uclient', 'turnutils_peer'], 'coturn');
    turn = await startLoopbackCoturn(secret, { ipv6: true, verbose: true });
  });

  after(() => turn?.stop());

  it('allocates with a valid Haven-style credential and relays to the SFU with 0 loss', async () => {
    const { user, pass } = credential(secret, Math.floor(Date.now() / 1000) + 600, 'user-1');
    const out = await uclient(['-u', user, '-w', pass, '-e', sfu(), '127.0.0.1']);
    assert.equal(
      relayLossPercent(out),
      0,
      `expected a relayed round with 0 loss:\n${out}\n--- turnserver:\n${turn!.log()}`,
    );
    // 20 RTP-like and 20 RTCP-like messages, every one echoed back through the relay.
    const totals = /start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)/.exec(out);
    assert.equal(totals?.[1], '40', out);
    assert.equal(totals?.[2], '40', out);
  });

  it('also answers the REST-API secret form (turnutils_uclient -W)', async () => {
    const out = await uclient(['-W', secret, '-e', sfu(), '127.0.0.1']);
    assert.equal(relayLossPercent(out), 0, out);
  });

  it('refuses an expired credential and a tampered one', async () => {
    const expired = credential(secret, Math.floor(Date.now() / 1000) - 60, 'user-1');
    const outExpired = await uclient(['-u', expired.user, '-w', expired.pass, '-e', sfu(), '127.0.0.1']);
    assert.match(outExpired, /Cannot complete Allocation/);
    assert.equal(relayLossPercent(outExpired), undefined);

    const valid = credential(secret, Math.floor(Date.now() / 1000) + 600, 'user-1');
    const tampered = `${Math.floor(Date.now() / 1000) + 6000}:user-1`; // longer life, same password
    const outTampered = await uclient(['-u', tampered, '-w', valid.pass, '-e', sfu(), '127.0.0.1']);
    assert.match(outTampered, /Cannot complete Allocation/);
  });

  for (const [target, ipv6] of [
    ['127.0.0.1', false],
    ['127.0.0.3', false],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['::127.0.0.1', true],
  ] as const) {
    it(`refuses to relay to ${target} (403 Forbidden IP)`, async () => {
      // A user of its own per target: coturn's per-user quota must not be what refuses it.
      const { user, pass } = credential(
        secret,
        Math.floor(Date.now() / 1000) + 600,
        `probe-${target.replace(/[:.]/g, '-')}`,
      );
      const args = [
        '-u',
        user,
        '-w',
        pass,
        ...(ipv6 ? ['-x'] : []),
        '-e',
        target,
        ipv6 ? '::1' : '127.0.0.1',
      ];
      // On a loaded machine a client run can end before its permission request is answered; such
      // an inconclusive run is repeated (once), but a relayed message fails the test at once.
      let out = '';
      for (let attempt = 0; attempt < 2 && !/403 \(Forbidden IP\)/.test(out); attempt += 1) {
        out = await uclient(args);
        assert.doesNotMatch(out, /tot_recv_msgs=[1-9]/, `relayed to ${target}:\n${out}`);
      }
      assert.match(out, /403 \(Forbidden IP\)/, `${out}\n--- turnserver:\n${turn!.log().slice(-3000)}`);
    });
  }
});
