// Counts a process's fsync/fdatasync calls (all its threads: SQLite commits on libuv's pool) while
// `during` runs, with `strace -c`. Only for the short counting pass, never during a timed run:
// ptrace slows every system call down.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SYSCALLS = ['fsync', 'fdatasync'];

function allThreadsTraced(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).every((tid) =>
      /TracerPid:\s+[1-9]/.test(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8')),
    );
  } catch {
    return false;
  }
}

/** Calls to fsync + fdatasync by `pid` while `during` ran, or null when strace is unavailable. */
export async function countFsyncs(pid: number, during: () => Promise<void>): Promise<number | null> {
  const dir = mkdtempSync(join(tmpdir(), 'haven-bench-strace-'));
  const out = join(dir, 'summary.txt');
  const strace = spawn(
    'strace',
    ['-f', '-qq', '-c', '-e', `trace=${SYSCALLS.join(',')}`, '-o', out, '-p', String(pid)],
    {
      stdio: 'ignore',
    },
  );
  // false when strace could not be started (not installed): the count is then unknown.
  const exited = new Promise<boolean>((resolve) => {
    strace.once('error', () => resolve(false));
    strace.once('exit', () => resolve(true));
  });
  try {
    const deadline = Date.now() + 5000;
    while (!allThreadsTraced(pid)) {
      if (strace.pid === undefined || Date.now() > deadline || strace.exitCode !== null) {
        strace.kill('SIGKILL');
        await during();
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await during();
    strace.kill('SIGINT');
    if (!(await exited)) return null;
    let calls = 0;
    for (const line of readFileSync(out, 'utf8').split('\n')) {
      const cells = line.trim().split(/\s+/);
      if (SYSCALLS.includes(cells.at(-1) ?? '')) calls += Number(cells[3]);
    }
    return calls;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
