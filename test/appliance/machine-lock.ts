import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Is a process with this id alive (on this machine)? */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A machine-wide lock held by this process: a directory created atomically, with the holder's pid
 * inside so a lock left by a process that died is taken over. Waits at most `waitMs`; resolves with
 * the release function.
 */
export async function acquireMachineLock(name: string, waitMs: number): Promise<() => void> {
  const dir = join(tmpdir(), `${name}.lock`);
  const owner = join(dir, 'pid');
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(owner, String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = Number.NaN;
    try {
      holder = Number(readFileSync(owner, 'utf8'));
    } catch {
      // being written or removed right now
    }
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`${dir} is still held by process ${holder} after ${waitMs} ms`);
    if (!told) {
      process.stdout.write(`      waiting for ${dir} (held by process ${holder})\n`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}
