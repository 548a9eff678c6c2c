import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { senderAnswer, senderLines, sinkAnswer, sinkLines } from './native-traffic-lines';
import type { SenderRequest, SinkRequest, TrafficGenerator } from './traffic-ipc';

/**
 * The native load generator (native/traffic-gen.c): compiled on first use with the system's C
 * compiler against OpenSSL's libcrypto (what scripts/build-mediasoup-worker needs anyway), cached
 * outside the repository by a hash of its source, and driven over a pipe, one line per request.
 */

const SOURCE = join(__dirname, 'native', 'traffic-gen.c');

/** Builds the program if this version of the source has not been built yet; returns its path. */
export function buildNativeTrafficGen(): string {
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(homedir(), '.cache', 'haven', 'bench-traffic-gen', hash);
  const bin = join(dir, 'traffic-gen');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const partial = `${bin}.${process.pid}.tmp`;
  try {
    execFileSync('cc', ['-O2', '-Wall', '-o', partial, SOURCE, '-lcrypto', '-lm'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(
      `could not compile ${SOURCE} (needs cc and libssl-dev): ${stderr || (error as Error).message}`,
    );
  }
  renameSync(partial, bin);
  return bin;
}

/** One native generator process: requests are written as lines and answered in order. */
class NativeTrafficProcess<Req extends { op: string }> implements TrafficGenerator<Req> {
  readonly #child: ChildProcessByStdio<Writable, Readable, null>;
  readonly #answers: ((line: string) => void)[] = [];
  readonly #toLines: (request: Req) => string[];
  readonly #fromLines: (request: Req, answers: readonly string[]) => unknown;
  readonly #ready: Promise<void>;
  #exited: string | null = null;
  /** Requests go one at a time, so a request's lines and answers never interleave with another's. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    bin: string,
    mode: 'sender' | 'sink',
    toLines: (request: Req) => string[],
    fromLines: (request: Req, answers: readonly string[]) => unknown,
  ) {
    this.#toLines = toLines;
    this.#fromLines = fromLines;
    this.#child = spawn(bin, [mode], { stdio: ['pipe', 'pipe', 'inherit'] });
    let ready = (): void => {};
    this.#ready = new Promise<void>((resolve) => (ready = resolve));
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      if (line === 'ready') return ready();
      this.#answers.shift()?.(line);
    });
    this.#child.on('exit', (code, signal) => {
      this.#exited = `native load generator (${mode}) exited (${code ?? signal})`;
      ready();
      for (const waiter of this.#answers.splice(0)) waiter(`err ${this.#exited}`);
    });
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  request<T>(request: Req, timeoutMs = 30_000): Promise<T> {
    const run = this.#queue.then(() => this.#send(request, timeoutMs));
    this.#queue = run.catch(() => undefined);
    return run as Promise<T>;
  }

  async #send(request: Req, timeoutMs: number): Promise<unknown> {
    await this.#ready;
    if (this.#exited) throw new Error(this.#exited);
    const lines = this.#toLines(request);
    if (lines.length === 0) return this.#fromLines(request, []);
    const answers = await new Promise<string[]>((resolve, reject) => {
      const got: string[] = [];
      const timer = setTimeout(
        () => reject(new Error(`native load generator did not answer ${request.op} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      for (let i = 0; i < lines.length; i += 1) {
        this.#answers.push((line) => {
          got.push(line);
          if (got.length === lines.length) {
            clearTimeout(timer);
            resolve(got);
          }
        });
      }
      this.#child.stdin.write(lines.map((l) => `${l}\n`).join(''));
    });
    return this.#fromLines(request, answers);
  }

  stop(): void {
    if (!this.#exited) this.#child.kill('SIGTERM');
  }
}

/** The sender and the sink of the native generator. */
export function nativeTrafficGenerators(bin: string): {
  sender: TrafficGenerator<SenderRequest>;
  sink: TrafficGenerator<SinkRequest>;
} {
  return {
    sender: new NativeTrafficProcess<SenderRequest>(bin, 'sender', senderLines, senderAnswer),
    sink: new NativeTrafficProcess<SinkRequest>(bin, 'sink', sinkLines, sinkAnswer),
  };
}
