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
