import assert from 'node:assert/strict';
import { turnCredential, turnIceServers } from '../../../server/media/turn-credentials';

const SECRET = 'correct horse battery staple 0123456789';
// 2027-01-15T08:00:00Z, i.e. 1800000000 in Unix seconds.
const NOW = new Date(1_800_000_000_000);

function config(turn: {
  host: string | undefined;
  tls: boolean;
  credentialTtlSeconds: number;
  port?: number;
}) {
  return { turn: { port: 3478, ...turn }, secrets: { turnSecret: SECRET } } as Parameters<
    typeof turnIceServers
  >[0];
}

describe('media: TURN REST credentials', () => {
  it('signs "<expiry>:<userId>" with HMAC-SHA1 of the shared secret, base64', () => {
    const c = turnCredential(SECRET, 'user-42', NOW, 600);
    assert.equal(c.username, '1800000600:user-42');
    // Reference computed outside Node, with
    //   printf %s '1800000600:user-42' | openssl dgst -sha1 -hmac "$SECRET" -binary | base64
    // (and Python's hmac module, which agrees).
    assert.equal(c.credential, 'GA6E++fLNFhgM//xR1ETA69dTiM=');
    assert.equal(c.expiresAt.toISOString(), '2027-01-15T08:10:00.000Z');
  });

  it('expires TTL seconds from now, whole seconds (milliseconds are dropped, never rounded up)', () => {
    const c = turnCredential(SECRET, 'u', new Date(1_800_000_000_999), 60);
    assert.equal(c.username, '1800000060:u');
    assert.equal(c.expiresAt.getTime(), 1_800_000_060_000);
  });

  it('differs per person, per time and per secret', () => {
    const a = turnCredential(SECRET, 'a', NOW, 600).credential;
    assert.notEqual(turnCredential(SECRET, 'b', NOW, 600).credential, a);
    assert.notEqual(turnCredential(SECRET, 'a', new Date(NOW.getTime() + 1000), 600).credential, a);
    assert.notEqual(turnCredential(`${SECRET}x`, 'a', NOW, 600).credential, a);
  });

  it('offers UDP and TCP on 3478, TLS on 5349 only with TURN_TLS, one credential for all', () => {
    const plain = turnIceServers(
      config({ host: 'clinic.example', tls: false, credentialTtlSeconds: 600 }),
      'user-42',
      NOW,
    );
    assert.deepEqual(plain, [
      {
        urls: ['turn:clinic.example:3478?transport=udp', 'turn:clinic.example:3478?transport=tcp'],
        username: '1800000600:user-42',
        credential: 'GA6E++fLNFhgM//xR1ETA69dTiM=',
      },
    ]);
    const tls = turnIceServers(
      config({ host: 'clinic.example', tls: true, credentialTtlSeconds: 600 }),
      'user-42',
      NOW,
    );
    assert.deepEqual(tls[0]?.urls, [
      'turn:clinic.example:3478?transport=udp',
      'turn:clinic.example:3478?transport=tcp',
      'turns:clinic.example:5349?transport=tcp',
    ]);
  });

  it('uses TURN_PORT for UDP and TCP (TLS stays on 5349)', () => {
    const [server] = turnIceServers(
      config({ host: 'h', tls: true, credentialTtlSeconds: 600, port: 3479 }),
      'u',
      NOW,
    );
    assert.deepEqual(server?.urls, [
      'turn:h:3479?transport=udp',
      'turn:h:3479?transport=tcp',
      'turns:h:5349?transport=tcp',
    ]);
  });

  it('uses the configured lifetime', () => {
    const [server] = turnIceServers(config({ host: 'h', tls: false, credentialTtlSeconds: 120 }), 'u', NOW);
    assert.equal(server?.username, '1800000120:u');
  });

  it('brackets an IPv6 host', () => {
    const [server] = turnIceServers(
      config({ host: '2001:db8::1', tls: false, credentialTtlSeconds: 600 }),
      'u',
      NOW,
    );
    assert.equal(server?.urls[0], 'turn:[2001:db8::1]:3478?transport=udp');
  });

  it('offers nothing without TURN_HOST (a plain install has no relay)', () => {
    assert.deepEqual(
      turnIceServers(config({ host: undefined, tls: true, credentialTtlSeconds: 600 }), 'u', NOW),
      [],
    );
  });
});
