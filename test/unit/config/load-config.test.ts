import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, SETTINGS } from '../../../server/config';
import { withSettingsTable } from '../../../server/config/settings-table';
import { PROJECT_ROOT } from '../../../server/shared/paths';
import { makeTempDir } from '../../support/temp-dir';

describe('loadConfig', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  const load = (env: Record<string, string> = {}) =>
    loadConfig({ DATA_DIR: join(temp.dir, 'data'), ...env }, { cwd: temp.dir, readDotenv: true });

  it('has embedded defaults for everything: SQLite under DATA_DIR, outbox-only mail, 127.0.0.1:3000', () => {
    const config = load();
    assert.equal(config.http.host, '127.0.0.1');
    assert.equal(config.http.port, 3000);
    assert.equal(config.http.publicUrl, 'http://127.0.0.1:3000');
    assert.deepEqual(config.database, {
      dialect: 'sqlite',
      storage: join(temp.dir, 'data', 'haven.sqlite'),
      busyTimeoutMs: 5000,
    });
    assert.equal(config.mail.smtpUrl, undefined);
    assert.equal(config.env, 'production');
  });

  it('is frozen', () => {
    const config = load();
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.http));
    assert.throws(() => {
      (config.http as { port: number }).port = 1;
    });
  });

  it('stops with one clear line naming the variable and what is allowed', () => {
    assert.throws(
      () => load({ PORT: 'abc' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, 'PORT is invalid (got "abc"): allowed is an integer from 1 to 65535');
        assert.ok(!error.message.includes('\n'));
        return true;
      },
    );
    assert.throws(() => load({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL is invalid .*allowed is sqlite:/);
    assert.throws(() => load({ SMTP_URL: 'http://mail' }), /SMTP_URL is invalid/);
  });

  it('media ICE policy: all by default; relay only together with a TURN host', () => {
    assert.equal(load().media.iceTransportPolicy, 'all');
    assert.equal(load().turn.port, 3478);
    assert.throws(() => load({ MEDIA_ICE_TRANSPORT_POLICY: 'relay' }), /needs TURN_HOST/);
    assert.throws(
      () => load({ MEDIA_ICE_TRANSPORT_POLICY: 'turn' }),
      /MEDIA_ICE_TRANSPORT_POLICY is invalid/,
    );
    const relay = load({ MEDIA_ICE_TRANSPORT_POLICY: 'relay', TURN_HOST: 'turn.example', TURN_PORT: '3479' });
    assert.equal(relay.media.iceTransportPolicy, 'relay');
    assert.equal(relay.turn.port, 3479);
  });

  it('node identity: the host name by default, NODE_ID when set; a node is dead after at least two missed heartbeats', () => {
    const byDefault = load();
    assert.equal(
      byDefault.cluster.nodeId,
      hostname()
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .slice(0, 63),
    );
    assert.equal(byDefault.cluster.heartbeatMs, 5000);
    assert.equal(byDefault.cluster.deadAfterMs, 15_000);
    assert.equal(load({ NODE_ID: 'node-b' }).cluster.nodeId, 'node-b');
    assert.throws(() => load({ NODE_ID: 'two words' }), /NODE_ID is invalid \(got "two words"\)/);
    assert.throws(
      () => load({ NODE_HEARTBEAT_SECONDS: '10', NODE_DEAD_AFTER_SECONDS: '15' }),
      /NODE_DEAD_AFTER_SECONDS \(15\) must be at least twice NODE_HEARTBEAT_SECONDS \(10\)/,
    );
  });

  it('never echoes a bad secret value back', () => {
    assert.throws(
      () => load({ SESSION_SECRET: 'short-secret-value' }),
      (error: unknown) => error instanceof Error && !error.message.includes('short-secret-value'),
    );
  });

  it('generates missing secrets once, mode 0600 in a 0700 directory, and reuses them', () => {
    const first = load();
    const secrets = join(temp.dir, 'data', 'secrets');
    for (const file of ['session.secret', 'field-encryption.key', 'turn.secret']) {
      assert.equal(statSync(join(secrets, file)).mode & 0o777, 0o600, file);
    }
    assert.equal(statSync(secrets).mode & 0o777, 0o700);
    const second = load();
    assert.equal(second.secrets.sessionSecret, first.secrets.sessionSecret);
    assert.ok(second.secrets.fieldKey.equals(first.secrets.fieldKey));
    assert.equal(second.secrets.turnSecret, first.secrets.turnSecret);
  });

  it('uses provided secrets without writing files', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = load({
      SESSION_SECRET: 'x'.repeat(40),
      FIELD_ENCRYPTION_KEY: key,
      TURN_SECRET: 'y'.repeat(40),
    });
    assert.equal(config.secrets.sessionSecret, 'x'.repeat(40));
    assert.ok(config.secrets.fieldKey.equals(Buffer.alloc(32, 7)));
    assert.ok(!existsSync(join(temp.dir, 'data', 'secrets', 'session.secret')));
  });

  it('reads .env, with the real environment winning', () => {
    writeFileSync(join(temp.dir, '.env'), 'PORT=4000\nCLINIC_NAME=Harbor Counselling\n');
    const config = load({ PORT: '4100' });
    assert.equal(config.http.port, 4100);
    assert.equal(config.clinic.name, 'Harbor Counselling');
  });

  it('understands postgres URLs and relative sqlite paths', () => {
    assert.deepEqual(load({ DATABASE_URL: 'postgres://h:p@127.0.0.1:5432/haven' }).database, {
      dialect: 'postgres',
      url: 'postgres://h:p@127.0.0.1:5432/haven',
    });
    const sqlite = load({ DATABASE_URL: 'sqlite:db/clinic.sqlite' }).database;
    assert.equal(sqlite.dialect === 'sqlite' && sqlite.storage, join(temp.dir, 'db', 'clinic.sqlite'));
  });

  it('the README configuration table is generated from the settings table (npm run docs:settings)', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    assert.equal(readme, withSettingsTable(readme), 'README is out of step: run `npm run docs:settings`');
    for (const name of Object.keys(SETTINGS)) assert.ok(readme.includes(`| \`${name}\` |`), name);
  });
});
