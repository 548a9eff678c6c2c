import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU affinity for the media benchmark: the worker gets a core of its own and the load generator
 * (with the bench process that drives them) the others, so that the worker's "% of one core" and
 * "waited for a core" are about one core the generator never takes. Other users' processes may
 * still run on the worker's core (affinity does not reserve a core); the wait % column shows when
 * they do. Uses util-linux's `taskset` (Debian's util-linux is an essential package).
 */

/** The CPUs of a list such as "0-3,6" (Cpus_allowed_list in /proc/<pid>/status). */
export function parseCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',').filter(Boolean)) {
    const [from, to] = part.split('-').map(Number);
    if (!Number.isInteger(from) || (to !== undefined && !Number.isInteger(to))) {
      throw new Error(`not a CPU list: "${text}"`);
    }
    for (let cpu = from!; cpu <= (to ?? from!); cpu += 1) cpus.push(cpu);
  }
  return cpus;
}

/** The CPUs a process may run on, from the text of /proc/<pid>/status. */
export function allowedCpusFromStatus(statusText: string): number[] {
  const match = /^Cpus_allowed_list:\s*(\S+)/m.exec(statusText);
  if (!match) throw new Error('no Cpus_allowed_list in /proc/<pid>/status');
  return parseCpuList(match[1]!);
}

export function allowedCpus(pid: number | 'self' = 'self'): number[] {
  return allowedCpusFromStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

export interface AffinityPlan {
  readonly worker: readonly number[];
  readonly generator: readonly number[];
}

/**
 * The worker on the last allowed CPU (the first one tends to take more of the machine's
 * interrupts), everything else of the bench on the rest; null with fewer than two CPUs.
 */
export function planAffinity(cpus: readonly number[]): AffinityPlan | null {
  if (cpus.length < 2) return null;
  return { worker: [cpus.at(-1)!], generator: cpus.slice(0, -1) };
}

/** Pins every thread of a process to `cpus`; its children started later inherit the mask. */
export function pinProcess(pid: number, cpus: readonly number[]): void {
  execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', cpus.join(','), String(pid)], {
    stdio: 'ignore',
  });
}

/** The real-time round-robin priority `--priority` gives the ramp's processes (1: the lowest). */
export const RAMP_RT_PRIORITY = 1;

/**
 * Scheduling policy of a process from the text of /proc/<pid>/stat: field 41 (policy: 0 normal,
 * 1 FIFO, 2 round-robin) and field 40 (real-time priority).
 */
export function schedulingFromStat(statText: string): string {
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3, so field 40 is fields[37] and field 41 fields[38].
  const policy = Number(fields[38]);
  const names: Record<number, string> = { 0: 'normal', 1: 'FIFO', 2: 'RR', 3: 'batch', 5: 'idle' };
  const name = names[policy] ?? `policy ${policy}`;
  return policy === 1 || policy === 2 ? `${name} ${fields[37]}` : name;
}

export function scheduling(pid: number): string {
  return schedulingFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * Every thread of a process to real-time round-robin scheduling: it runs whenever it is ready,
 * before any normal process on its CPU (the kernel still leaves normal processes 5% of each
 * second), so the neighbours' work cannot keep it waiting. Needs root or CAP_SYS_NICE.
 */
export function makeRealtime(pid: number): void {
  execFileSync('chrt', ['--rr', '--all-tasks', '--pid', String(RAMP_RT_PRIORITY), String(pid)], {
    stdio: 'ignore',
  });
}
