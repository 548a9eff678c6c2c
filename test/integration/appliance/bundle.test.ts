import { strict as assert } from 'node:assert';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../../server/shared/paths';
import { makeTempDir } from '../../support/temp-dir';
import { freePort } from '../../support/free-port';
import { DOCKER_DIR, ensureBuilt, requireBinaries } from './appliance-support';

const run = promisify(execFile);

const SAMPLE_ENV: Record<string, string> = {
  DOMAIN: 'care.example.org',
  ACME_EMAIL: 'it@example.org',
  PUBLIC_IP: '203.0.113.10',
  // Behind NAT (a cloud VM): the machine's own address differs from the public one.
  PRIVATE_IP: '10.0.0.5',
  SESSION_SECRET: 's'.repeat(48),
  FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  TURN_SECRET: 't'.repeat(48),
  MEDIA_PORT: '40000',
  MEDIA_PORT_LAST: '40001',
  MEDIA_WORKERS: '2',
};

/** Runs a program with only PATH and a private HOME, so nothing from this machine leaks in. */
async function runClean(
  command: string,
  args: string[],
  env: Record<string, string>,
  home: string,
): Promise<{ code: number; out: string; stdout: string }> {
  try {
    const { stdout, stderr } = await run(command, args, {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: home,
        XDG_DATA_HOME: home,
        XDG_CONFIG_HOME: home,
        ...env,
      },
      timeout: 60_000,
    });
    return { code: 0, out: stdout + stderr, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      out: `${e.stdout ?? ''}${e.stderr ?? ''}`,
      stdout: e.stdout ?? '',
    };
  }
}

describe('appliance: compose file (Debian docker-compose config)', function () {
  this.timeout(60_000);
  let temp: { dir: string; remove: () => void };
  before(function () {
    requireBinaries(this, ['docker-compose'], 'docker-compose');
    temp = makeTempDir('haven-compose-');
  });
  after(() => temp?.remove());

  function envFile(values: Record<string, string>): string {
    const file = join(temp.dir, `env-${Object.keys(values).length}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(
      file,
      Object.entries(values)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
    );
    return file;
  }

  async function config(
    values: Record<string, string>,
  ): Promise<{ code: number; out: string; stdout: string }> {
    return runClean(
      'docker-compose',
      [
        '--project-directory',
        DOCKER_DIR,
        '--env-file',
        envFile(values),
        '-f',
        join(DOCKER_DIR, 'compose.yaml'),
        'config',
      ],
      {},
      temp.dir,
    );
  }

  it('validates with the values scripts/setup writes, wiring one TURN secret to both sides', async () => {
    const { code, out } = await config(SAMPLE_ENV);
    assert.equal(code, 0, out);
    assert.match(out, /TURN_SECRET: t{48}/);
    // coturn gets both addresses (its start script derives --external-ip=PUBLIC/PRIVATE from them).
    assert.match(out, /PRIVATE_IP: 10\.0\.0\.5/);
    assert.match(out, /PUBLIC_IP: 203\.0\.113\.10/);
    assert.match(out, /entrypoint:\n\s+- \/bin\/sh\n\s+- \/etc\/coturn\/start\.sh/);
    assert.match(out, /MEDIA_ANNOUNCED_ADDRESS: 203\.0\.113\.10/);
    assert.match(out, /PUBLIC_URL: https:\/\/care\.example\.org/);
    for (const port of [40000, 40001]) {
      for (const protocol of ['udp', 'tcp']) {
        assert.match(out, new RegExp(`protocol: ${protocol}\\n\\s+published: ${port}\\n\\s+target: ${port}`));
      }
    }
    assert.match(out, /network_mode: host/);
    assert.match(out, /restart: unless-stopped/);
  });

  it('refuses to run when any required value (domain, address, secret, ACME email) is missing', async () => {
    // Never an empty secret or address: an empty --allowed-peer-ip would even mean "allow all".
    const required = [
      'DOMAIN',
      'TURN_SECRET',
      'PUBLIC_IP',
      'PRIVATE_IP',
      'FIELD_ENCRYPTION_KEY',
      'SESSION_SECRET',
      'ACME_EMAIL',
    ];
    const results = await Promise.all(
      required.map(async (missing) => {
        const values = { ...SAMPLE_ENV };
        delete values[missing];
        return { missing, ...(await config(values)) };
      }),
    );
    for (const { missing, code, out } of results) {
      assert.notEqual(code, 0, `compose accepted a file without ${missing}:\n${out}`);
      assert.match(out, new RegExp(`run scripts/setup first \\(${missing} is not set`));
    }
  });
});

describe('appliance: Caddyfile (Debian caddy validate)', function () {
  this.timeout(60_000);
  let temp: { dir: string; remove: () => void };
  before(function () {
    requireBinaries(this, ['caddy'], 'caddy');
    temp = makeTempDir('haven-caddy-');
  });
  after(() => temp?.remove());

  for (const domain of ['care.example.org', 'localhost']) {
    it(`is valid for DOMAIN=${domain} and proxies that host to haven:3000`, async () => {
      const env = { DOMAIN: domain, ACME_EMAIL: 'it@example.org' };
      const caddyfile = join(DOCKER_DIR, 'Caddyfile');
      const valid = await runClean(
        'caddy',
        ['validate', '--config', caddyfile, '--adapter', 'caddyfile'],
        env,
        temp.dir,
      );
      assert.equal(valid.code, 0, valid.out);
      assert.match(valid.out, /Valid configuration/);

      const adapted = await runClean(
        'caddy',
        ['adapt', '--config', caddyfile, '--adapter', 'caddyfile'],
        env,
        temp.dir,
      );
      assert.equal(adapted.code, 0, adapted.out);
      const text = JSON.stringify(JSON.parse(adapted.stdout));
      assert.ok(text.includes(`"host":["${domain}"]`), `no route for ${domain}: ${text.slice(0, 400)}`);
      assert.ok(text.includes('"dial":"haven:3000"'), 'reverse_proxy must target haven:3000');
      if (domain !== 'localhost') {
        // A public name gets a Let's Encrypt certificate (localhost uses Caddy's own local CA).
        assert.ok(text.includes('"email":"it@example.org"'), 'ACME email is passed to the issuer');
      }
    });
  }

  it('refuses to run with no DOMAIN', async () => {
    const result = await runClean(
      'caddy',
      ['validate', '--config', join(DOCKER_DIR, 'Caddyfile'), '--adapter', 'caddyfile'],
      { DOMAIN: '', ACME_EMAIL: 'it@example.org' },
      temp.dir,
    );
    assert.notEqual(result.code, 0, result.out);
  });
});

describe('appliance: Dockerfile (static checks; no Docker engine here)', () => {
  const dockerfile = readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8');
  it('builds on Node 22 LTS, installs production dependencies only, runs as non-root, exec-form entrypoint', () => {
    assert.match(dockerfile, /^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    // Production dependencies by pruning the one build stage (sqlite3 compiles once).
    assert.match(dockerfile, /npm prune --omit=dev/);
    assert.equal(dockerfile.match(/npm ci/g)?.length, 1, 'one npm ci');
    // Builds with the classic builder (Debian's docker-compose 1.29) and offline: no BuildKit-only
    // RUN --mount, no `# syntax=` line (BuildKit would pull that frontend from Docker Hub).
    const instructions = dockerfile.replace(/^\s*#.*$/gm, '');
    assert.doesNotMatch(instructions, /--mount/);
    assert.doesNotMatch(dockerfile, /^#\s*syntax\s*=/im);
    assert.match(dockerfile, /^ENV npm_config_nodedir=\/usr\/local$/m);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["\/app\/docker\/entrypoint\.sh"\]$/m);
    assert.match(dockerfile, /^HEALTHCHECK .*\n\s+CMD \["node", "docker\/healthcheck\.mjs"\]$/m);
    assert.match(dockerfile, /^EXPOSE 3000 40000-40001\/udp 40000-40001\/tcp$/m);
    // Every file the runtime stage copies exists in the repository.
    for (const [, src] of dockerfile.matchAll(/^COPY (?!--from)([^\n]+) \S+$/gm)) {
      for (const path of src!.split(' '))
        assert.ok(existsSync(join(PROJECT_ROOT, path)), `${path} is missing`);
    }
  });
  it('needs nothing at run time that `npm ci --omit=dev` leaves out', () => {
    // The image keeps production dependencies only: every package the server imports must be one.
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const missing = new Set<string>();
    let checked = 0;
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts')) {
          const source = readFileSync(path, 'utf8');
          for (const [statement, spec] of source.matchAll(/^import [^;]*? from '([^'.][^']*)';/gms)) {
            // Type-only imports vanish at compile time; node: modules come with Node.
            if (statement.startsWith('import type ') || spec!.startsWith('node:')) continue;
            checked += 1;
            const name = spec!.startsWith('@')
              ? spec!.split('/').slice(0, 2).join('/')
              : spec!.split('/')[0]!;
            if (!(name in pkg.dependencies)) missing.add(`${name} (${path.slice(PROJECT_ROOT.length + 1)})`);
          }
        }
      }
    };
    walk(join(PROJECT_ROOT, 'server'));
    assert.ok(checked > 20, 'the scan found the server imports');
    assert.deepEqual([...missing], []);
  });

  it('never sends secrets or local data into the build context', () => {
    const ignore = readFileSync(join(PROJECT_ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['docker/.env', '.env', 'data', 'node_modules', '.git'])
      assert.ok(ignore.includes(entry), entry);
  });
});

describe('appliance: the container entrypoint, run outside Docker with the same environment', function () {
  this.timeout(180_000);
  let temp: { dir: string; remove: () => void };
  let child: ChildProcess | undefined;
  let output = '';

  before(async () => {
    await ensureBuilt(['server/main', 'server/app', 'server/backup/migrate-with-backup']);
    temp = makeTempDir('haven-entrypoint-');
  });
  after(() => {
    child?.kill('SIGKILL');
    temp?.remove();
  });

  it('migrates, listens on 0.0.0.0:PORT, answers /readyz, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const mediaPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // What compose.yaml sets (minus the proxy), on loopback-reachable ports of this machine.
      NODE_ENV: 'production',
      PORT: String(port),
      DATA_DIR: join(temp.dir, 'data'),
      BACKUP_DIR: join(temp.dir, 'backups'),
      PUBLIC_URL: 'https://care.example.org',
      TRUST_PROXY: '1',
      SESSION_SECRET: SAMPLE_ENV['SESSION_SECRET'],
      FIELD_ENCRYPTION_KEY: SAMPLE_ENV['FIELD_ENCRYPTION_KEY'],
      TURN_SECRET: SAMPLE_ENV['TURN_SECRET'],
      MEDIA_WORKERS: '1',
      MEDIA_PORT: String(mediaPort),
      MEDIA_LISTEN_IP: '127.0.0.1',
      MEDIA_ANNOUNCED_ADDRESS: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
    delete env['HOST']; // the entrypoint's own default must apply
    delete env['DATABASE_URL'];
    child = spawn(join(DOCKER_DIR, 'entrypoint.sh'), [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));

    let body: { status?: string } = {};
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) assert.fail(`entrypoint exited early (${child.exitCode}):\n${output}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        body = (await res.json()) as { status?: string };
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) assert.fail(`no ready /readyz within 60 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(body.status, 'ready');
    assert.match(output, /listening on http:\/\/0\.0\.0\.0:/, 'HOST defaults to 0.0.0.0 in the entrypoint');
    assert.ok(existsSync(join(temp.dir, 'data', 'haven.sqlite')), 'the database was created and migrated');
    // exec: the process Docker signals is node itself, not a shell waiting on it.
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
    assert.match(cmdline, /node.*dist\/server\/main\.js/);

    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
  });
});

describe('appliance: docker/coturn/start.sh with a stand-in turnserver (what it passes)', function () {
  this.timeout(60_000);
  let temp: { dir: string; remove: () => void };
  before(function () {
    requireBinaries(this, ['docker-compose', 'python3'], 'docker-compose');
    temp = makeTempDir('haven-coturn-start-');
  });
  after(() => temp?.remove());

  it('is what compose runs, with the addresses and the secret from docker/.env', async () => {
    const envFile = join(temp.dir, 'env');
    writeFileSync(
      envFile,
      Object.entries(SAMPLE_ENV)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
    );
    const rendered = await runClean(
      'sh',
      [
        '-c',
        // docker-compose depends on python3-yaml, so this converter is there whenever compose is.
        `docker-compose --project-directory "$1" --env-file "$2" -f "$1/compose.yaml" config | ` +
          `python3 -c 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'`,
        'sh',
        DOCKER_DIR,
        envFile,
      ],
      {},
      temp.dir,
    );
    assert.equal(rendered.code, 0, rendered.out);
    const coturn = (
      JSON.parse(rendered.stdout) as {
        services: {
          coturn: {
            entrypoint: string[];
            environment: Record<string, string>;
            init?: boolean;
            healthcheck?: { test: string[] };
          };
        };
      }
    ).services.coturn;
    assert.deepEqual(coturn.entrypoint, ['/bin/sh', '/etc/coturn/start.sh']);
    assert.equal(coturn.init, true, 'tini as PID 1, so SIGTERM reaches the script');
    assert.ok(coturn.healthcheck?.test.includes('turnutils_stunclient'));
    for (const key of ['DOMAIN', 'PUBLIC_IP', 'PRIVATE_IP', 'TURN_SECRET'])
      assert.equal(coturn.environment[key], SAMPLE_ENV[key], key);
  });

  /** Runs start.sh with a turnserver that records its argv and config, then exits. */
  async function startWith(
    env: Record<string, string>,
    certificate?: string,
  ): Promise<{ argv: string[]; conf: string; out: string; work: string }> {
    const dir = mkdtempSync(join(temp.dir, 'case-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'turnserver'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/argv"\ncp "$2" "${dir}/seen.conf"\n`,
      { mode: 0o755 },
    );
    const certificates = join(dir, 'certificates');
    if (certificate) {
      const folder = join(certificates, certificate, env['DOMAIN']!);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `${env['DOMAIN']}.crt`), 'CERTIFICATE');
      writeFileSync(join(folder, `${env['DOMAIN']}.key`), 'KEY');
    }
    const work = join(dir, 'run');
    const started = await runClean(
      'sh',
      [join(DOCKER_DIR, 'coturn', 'start.sh')],
      {
        ...env,
        PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`,
        TURN_POLICY_FILE: join(DOCKER_DIR, 'coturn', 'turnserver.conf'),
        TURN_CERT_ROOT: certificates,
        TURN_WORK_DIR: work,
        TURN_TLS_WAIT_SECONDS: '0',
        TURN_CERT_CHECK_SECONDS: '1',
        TURN_PROC_USER: userInfo().username,
      },
      temp.dir,
    );
    assert.equal(started.code, 0, started.out);
    return {
      argv: readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n'),
      conf: readFileSync(join(dir, 'seen.conf'), 'utf8'),
      out: started.out,
      work,
    };
  }

  it('behind NAT: --external-ip=PUBLIC/PRIVATE, listens and relays on PRIVATE_IP, allows the SFU at both', async () => {
    const { argv, conf, work } = await startWith(SAMPLE_ENV);
    for (const flag of [
      '--external-ip=203.0.113.10/10.0.0.5',
      '--listening-ip=10.0.0.5',
      '--listening-ip=127.0.0.1',
      '--relay-ip=10.0.0.5',
      '--allowed-peer-ip=10.0.0.5',
      '--allowed-peer-ip=203.0.113.10',
      '--realm=care.example.org',
    ])
      assert.ok(argv.includes(flag), `${flag} missing: ${argv.join(' ')}`);
    // The secret is in a private copy of our policy file, never on the command line.
    assert.ok(!argv.join(' ').includes(SAMPLE_ENV['TURN_SECRET']!), 'the secret is not on the command line');
    assert.match(conf, new RegExp(`\\nstatic-auth-secret=${SAMPLE_ENV['TURN_SECRET']}\\n`));
    assert.ok(
      conf.includes('denied-peer-ip=::ffff:127.0.0.0-::ffff:127.255.255.255'),
      'our policy is the base',
    );
    assert.equal(statSync(join(work, 'turnserver.conf')).mode & 0o777, 0o600);
    // No certificate from Caddy yet: TLS stays off rather than failing.
    assert.ok(argv.includes('--no-tls'), argv.join(' '));
  });

  it('with a public address on the interface: no --external-ip at all', async () => {
    const { argv } = await startWith({ ...SAMPLE_ENV, PRIVATE_IP: SAMPLE_ENV['PUBLIC_IP']! });
    assert.ok(!argv.some((a) => a.startsWith('--external-ip')), argv.join(' '));
    assert.ok(argv.includes('--allowed-peer-ip=203.0.113.10'));
  });

  for (const issuer of ['local', 'acme-v02.api.letsencrypt.org-directory']) {
    it(`finds Caddy's certificate under ${issuer}/ and serves TLS with a private copy of it`, async () => {
      const { argv, work } = await startWith(SAMPLE_ENV, issuer);
      assert.ok(argv.includes(`--cert=${join(work, 'tls', 'cert.pem')}`), argv.join(' '));
      assert.ok(argv.includes(`--pkey=${join(work, 'tls', 'key.pem')}`), argv.join(' '));
      assert.equal(readFileSync(join(work, 'tls', 'cert.pem'), 'utf8'), 'CERTIFICATE');
      assert.ok(!argv.includes('--no-tls'));
    });
  }

  it('starts without TLS before Caddy has a certificate, restarts with it when it appears, reloads it on renewal, and stops at once on SIGTERM', async () => {
    const dir = mkdtempSync(join(temp.dir, 'watch-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // A turnserver that stays up like the real one: records each start and each SIGUSR2.
    writeFileSync(
      join(bin, 'turnserver'),
      [
        '#!/bin/sh',
        `n=$(ls "${dir}" | grep -c '^start-')`,
        `printf '%s\\n' "$$" "$@" > "${dir}/start-$n"`,
        `trap 'echo reload >> "${dir}/usr2"' USR2`,
        "trap 'exit 0' TERM",
        'while :; do sleep 0.1; done',
      ].join('\n') + '\n',
      { mode: 0o755 },
    );
    const certificates = join(dir, 'certificates');
    const folder = join(certificates, 'local', 'localhost');
    const work = join(dir, 'run');
    const script = spawn('sh', [join(DOCKER_DIR, 'coturn', 'start.sh')], {
      env: {
        ...SAMPLE_ENV,
        DOMAIN: 'localhost',
        PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin`,
        TURN_POLICY_FILE: join(DOCKER_DIR, 'coturn', 'turnserver.conf'),
        TURN_CERT_ROOT: certificates,
        TURN_WORK_DIR: work,
        TURN_TLS_WAIT_SECONDS: '0',
        TURN_CERT_CHECK_SECONDS: '1',
        TURN_PROC_USER: userInfo().username,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    script.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    script.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<number | null>((resolve) => script.once('exit', (code) => resolve(code)));
    const waitFor = async (what: string, test: () => boolean): Promise<void> => {
      const deadline = Date.now() + 15_000;
      while (!test()) {
        if (Date.now() > deadline) assert.fail(`${what} did not happen within 15 s:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const start = (n: number): string[] =>
      readFileSync(join(dir, `start-${n}`), 'utf8')
        .trim()
        .split('\n');
    try {
      await waitFor('the first start', () => existsSync(join(dir, 'start-0')));
      assert.ok(start(0).includes('--no-tls'), start(0).join(' '));

      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'localhost.key'), 'KEY');
      writeFileSync(join(folder, 'localhost.crt'), 'FIRST');
      await waitFor('a restart with TLS', () => existsSync(join(dir, 'start-1')));
      assert.ok(start(1).includes(`--cert=${join(work, 'tls', 'cert.pem')}`), start(1).join(' '));
      assert.throws(() => process.kill(Number(start(0)[0]), 0), 'the turnserver without TLS was stopped');

      writeFileSync(join(folder, 'localhost.crt'), 'RENEWED');
      await waitFor('a reload (SIGUSR2)', () => existsSync(join(dir, 'usr2')));
      assert.equal(readFileSync(join(work, 'tls', 'cert.pem'), 'utf8'), 'RENEWED');
      assert.ok(!existsSync(join(dir, 'start-2')), 'a renewal reloads, it does not restart');

      const stoppingAt = Date.now();
      script.kill('SIGTERM');
      assert.equal(await exited, 0, log);
      assert.ok(Date.now() - stoppingAt < 3000, `stopped ${Date.now() - stoppingAt} ms after SIGTERM`);
      await waitFor('turnserver gone', () => {
        try {
          process.kill(Number(start(1)[0]), 0);
          return false;
        } catch {
          return true;
        }
      });
    } finally {
      if (script.exitCode === null) script.kill('SIGKILL');
    }
  });

  it('refuses to start without an address or the secret', async () => {
    for (const missing of ['PUBLIC_IP', 'PRIVATE_IP', 'TURN_SECRET', 'DOMAIN']) {
      const env: Record<string, string> = { ...SAMPLE_ENV };
      delete env[missing];
      const result = await runClean('sh', [join(DOCKER_DIR, 'coturn', 'start.sh')], env, temp.dir);
      assert.notEqual(result.code, 0, missing);
      assert.match(result.out, new RegExp(`${missing} is not set`));
    }
  });
});

describe('appliance: the several-node bundle (compose.scale.yaml, Caddyfile.scale)', function () {
  this.timeout(60_000);
  let temp: { dir: string; remove: () => void };
  before(function () {
    requireBinaries(this, ['docker-compose', 'caddy'], 'docker-compose caddy');
    temp = makeTempDir('haven-scale-');
  });
  after(() => temp?.remove());

  const scaleEnv = { ...SAMPLE_ENV, POSTGRES_PASSWORD: 'p'.repeat(32) };
  async function config(values: Record<string, string>): Promise<{ code: number; out: string }> {
    const file = join(temp.dir, `env-${Math.random().toString(36).slice(2)}`);
    writeFileSync(
      file,
      `${Object.entries(values)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\n`,
    );
    return runClean(
      'docker-compose',
      [
        '--project-directory',
        DOCKER_DIR,
        '--env-file',
        file,
        '-f',
        join(DOCKER_DIR, 'compose.scale.yaml'),
        'config',
      ],
      {},
      temp.dir,
    );
  }

  it('validates: PostgreSQL and two nodes sharing one database and the secrets, each with its own id and media ports', async () => {
    const { code, out } = await config(scaleEnv);
    assert.equal(code, 0, out);
    const url = `DATABASE_URL: postgres://haven:${'p'.repeat(32)}@postgres:5432/haven`;
    assert.equal(out.split(url).length - 1, 2, 'both nodes on the one database');
    assert.equal(out.split(`SESSION_SECRET: ${'s'.repeat(48)}`).length - 1, 2, 'one session secret');
    assert.match(out, /NODE_ID: haven-1/);
    assert.match(out, /NODE_ID: haven-2/);
    for (const port of [40000, 40001, 40100, 40101]) {
      assert.match(out, new RegExp(`published: ${port}\\n\\s+target: ${port}`));
    }
    assert.match(out, /image: postgres:15/);
  });

  it("publishes each node's media range as scripts/setup wrote it, and passes the registry's timings", async () => {
    const { code, out } = await config({
      ...scaleEnv,
      MEDIA_PORT: '21000',
      MEDIA_PORT_LAST: '21002',
      MEDIA_PORT_2: '21100',
      MEDIA_PORT_2_LAST: '21102',
      NODE_HEARTBEAT_SECONDS: '2',
      NODE_DEAD_AFTER_SECONDS: '6',
    });
    assert.equal(code, 0, out);
    for (const port of [21000, 21001, 21002, 21100, 21101, 21102]) {
      assert.match(out, new RegExp(`published: ${port}\\n\\s+target: ${port}`));
    }
    assert.match(out, /MEDIA_PORT: '21000'/);
    assert.match(out, /MEDIA_PORT: '21100'/);
    assert.equal(out.split("NODE_HEARTBEAT_SECONDS: '2'").length - 1, 2, 'both nodes beat every 2 s');
    assert.equal(out.split("NODE_DEAD_AFTER_SECONDS: '6'").length - 1, 2);
  });

  it('refuses to run without POSTGRES_PASSWORD', async () => {
    const { POSTGRES_PASSWORD: _dropped, ...rest } = scaleEnv;
    const { code, out } = await config(rest);
    assert.notEqual(code, 0);
    assert.match(out, /POSTGRES_PASSWORD is not set/);
  });

  it('the proxy sends /node/<id>/… to that node (prefix stripped) and the rest to either', async () => {
    const env = { DOMAIN: 'care.example.org', ACME_EMAIL: 'it@example.org' };
    const caddyfile = join(DOCKER_DIR, 'Caddyfile.scale');
    const valid = await runClean(
      'caddy',
      ['validate', '--config', caddyfile, '--adapter', 'caddyfile'],
      env,
      temp.dir,
    );
    assert.equal(valid.code, 0, valid.out);
    const adapted = await runClean(
      'caddy',
      ['adapt', '--config', caddyfile, '--adapter', 'caddyfile'],
      env,
      temp.dir,
    );
    const text = JSON.stringify(JSON.parse(adapted.stdout));
    for (const node of ['haven-1', 'haven-2']) {
      assert.ok(text.includes(`"path":["/node/${node}/*"]`), `no route for /node/${node}/`);
      assert.ok(text.includes(`"strip_path_prefix":"/node/${node}"`), `/node/${node}/ is not stripped`);
      assert.ok(text.includes(`"dial":"${node}:3000"`));
    }
  });
});
