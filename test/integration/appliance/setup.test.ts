import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseDotenv } from 'dotenv';
import { loadConfig } from '../../../server/config';
import { PROJECT_ROOT } from '../../../server/shared/paths';
import { makeTempDir } from '../../support/temp-dir';
import { DOCKER_DIR, findBinary } from './appliance-support';

const run = promisify(execFile);
const SETUP = join(PROJECT_ROOT, 'scripts', 'setup');

async function setup(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(SETUP, [...args, '--yes'], { timeout: 30_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('appliance: scripts/setup writes docker/.env', function () {
  this.timeout(60_000);
  let temp: { dir: string; remove: () => void };
  beforeEach(() => {
    temp = makeTempDir('haven-setup-');
  });
  afterEach(() => temp.remove());

  const flags = (envFile: string, domain = 'care.example.org'): string[] => [
    '--domain',
    domain,
    '--email',
    'it@example.org',
    '--public-ip',
    '203.0.113.10',
    '--smtp-url',
    'smtps://mailer:pw@smtp.example.org:465',
    '--media-workers',
    '3',
    '--env-file',
    envFile,
  ];

  it('generates secrets Haven accepts, private to its owner, and prints ports and the next command', async () => {
    const envFile = join(temp.dir, '.env');
    const { code, out } = await setup(flags(envFile));
    assert.equal(code, 0, out);
    assert.equal(statSync(envFile).mode & 0o777, 0o600);
    const values = parseDotenv(readFileSync(envFile));
    assert.equal(values['DOMAIN'], 'care.example.org');
    assert.equal(values['ACME_EMAIL'], 'it@example.org');
    assert.equal(values['PUBLIC_IP'], '203.0.113.10');
    assert.equal(values['SMTP_URL'], 'smtps://mailer:pw@smtp.example.org:465');
    assert.equal(values['MEDIA_PORT'], '40000');
    assert.equal(values['MEDIA_PORT_LAST'], '40002');
    // compose.scale.yaml's second node: as many ports, its own range.
    assert.equal(values['MEDIA_PORT_2'], '40100');
    assert.equal(values['MEDIA_PORT_2_LAST'], '40102');
    for (const key of ['SESSION_SECRET', 'TURN_SECRET', 'POSTGRES_PASSWORD'])
      assert.ok((values[key] ?? '').length >= 48, key);
    // The scale bundle's database password goes into a URL as it is.
    assert.match(values['POSTGRES_PASSWORD'] ?? '', /^[A-Za-z0-9]+$/);
    assert.ok((values['BACKUP_PASSPHRASE'] ?? '').length >= 24);
    assert.notEqual(values['SESSION_SECRET'], values['TURN_SECRET']);

    // Haven's own configuration accepts every generated value as the container would receive it.
    const config = loadConfig(
      {
        DATA_DIR: join(temp.dir, 'data'),
        SESSION_SECRET: values['SESSION_SECRET'],
        FIELD_ENCRYPTION_KEY: values['FIELD_ENCRYPTION_KEY'],
        TURN_SECRET: values['TURN_SECRET'],
        BACKUP_PASSPHRASE: values['BACKUP_PASSPHRASE'],
        SMTP_URL: values['SMTP_URL'],
        MAIL_FROM: values['MAIL_FROM'],
        MEDIA_PORT: values['MEDIA_PORT'],
        MEDIA_WORKERS: values['MEDIA_WORKERS'],
        MEDIA_ANNOUNCED_ADDRESS: values['PUBLIC_IP'],
      },
      { readDotenv: false, cwd: temp.dir },
    );
    assert.equal(config.secrets.fieldKey.length, 32);
    assert.equal(config.secrets.turnSecret, values['TURN_SECRET']);
    assert.equal(config.backup.passphrase, values['BACKUP_PASSPHRASE']);

    for (const port of [
      '80/tcp',
      '443/tcp',
      '3478/udp',
      '3478/tcp',
      '5349/tcp',
      '40000-40002/udp',
      '40000-40002/tcp',
    ]) {
      assert.ok(out.includes(port), `port ${port} is not printed`);
    }
    assert.ok(out.includes('docker compose up -d'));
    assert.ok(
      out.includes(values['BACKUP_PASSPHRASE'] ?? '-'),
      'the new passphrase is shown once, to be stored',
    );

    if (findBinary('docker-compose')) {
      const { stdout } = await run('docker-compose', [
        '--project-directory',
        DOCKER_DIR,
        '--env-file',
        envFile,
        '-f',
        join(DOCKER_DIR, 'compose.yaml'),
        'config',
      ]);
      assert.match(stdout, /MEDIA_WORKERS: '3'/);
    }
  });

  it('never overwrites existing values when run again', async () => {
    const envFile = join(temp.dir, '.env');
    assert.equal((await setup(flags(envFile))).code, 0);
    const before = readFileSync(envFile, 'utf8');
    const again = await setup(flags(envFile, 'other.example.org'));
    assert.equal(again.code, 0, again.out);
    assert.equal(readFileSync(envFile, 'utf8'), before, 'the file is unchanged');
    assert.match(again.out, /kept the existing DOMAIN/);
    assert.doesNotMatch(again.out, /SECRET|passphrase NOW/);
  });

  it('refuses to guess a domain or email when not asked interactively', async () => {
    const envFile = join(temp.dir, '.env');
    const noDomain = await setup(['--email', 'it@example.org', '--env-file', envFile]);
    assert.equal(noDomain.code, 64);
    assert.match(noDomain.out, /a domain is required/);
    assert.ok(!existsSync(envFile));
    const badEmail = await setup(['--domain', 'care.example.org', '--email', 'nope', '--env-file', envFile]);
    assert.equal(badEmail.code, 64);
    assert.match(badEmail.out, /not an email address/);
  });
});
