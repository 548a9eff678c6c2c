import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU and memory of a process from Linux's /proc: utime+stime (fields 14 and 15 of
 * /proc/<pid>/stat, in clock ticks) sampled at both ends of a window give "% of one core".
 */

let ticksPerSecond: number | null = null;
function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system) used so far, from the text of /proc/<pid>/stat. */
export function cpuSecondsFromStat(statText: string, ticks = clockTicks()): number {
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

/** Resident memory, MB, from the text of /proc/<pid>/status (VmRSS is in kB). */
export function rssMbFromStatus(statusText: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(statusText);
  return match ? Number(match[1]) / 1024 : NaN;
}

export function cpuSeconds(pid: number): number {
  return cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export function rssMb(pid: number): number {
  return rssMbFromStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/**
 * Nanoseconds the process's main thread has spent runnable but waiting for a CPU (second field of
 * /proc/<pid>/schedstat). On a shared machine this, not CPU use, shows a starved process.
 */
export function runQueueWaitNs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) || 0;
  } catch {
    return 0; // kernels without schedstats
  }
}

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
export function hostCpuJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** Kernel-wide UDP receive-buffer overflows (`RcvbufErrors` in /proc/net/snmp): drops at a socket. */
export function udpReceiveBufferErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/).slice(1));
  const at = names?.indexOf('RcvbufErrors') ?? -1;
  return at >= 0 ? Number(values?.[at] ?? 0) : 0;
}

/** Samples CPU use of some processes and the host over a window. */
export class CpuWindow {
  readonly #pids: readonly number[];
  readonly #startedAt: number;
  readonly #cpu: number[];
  readonly #wait: number[];
  readonly #host: { busy: number; total: number };
  readonly #udpErrors: number;

  constructor(pids: readonly number[]) {
    this.#pids = pids;
    this.#startedAt = performance.now();
    this.#cpu = pids.map(cpuSeconds);
    this.#wait = pids.map(runQueueWaitNs);
    this.#host = hostCpuJiffies();
    this.#udpErrors = udpReceiveBufferErrors();
  }

  /**
   * Per process: % of one core used, and % of the window spent waiting for a core; host: % of all
   * cores busy (anyone's work).
   */
  finish(): {
    percentOfCore: number[];
    waitPercent: number[];
    hostBusyPercent: number;
    udpReceiveBufferErrors: number;
  } {
    const seconds = (performance.now() - this.#startedAt) / 1000;
    const host = hostCpuJiffies();
    return {
      percentOfCore: this.#pids.map((pid, i) => ((cpuSeconds(pid) - this.#cpu[i]!) / seconds) * 100),
      waitPercent: this.#pids.map((pid, i) => ((runQueueWaitNs(pid) - this.#wait[i]!) / 1e9 / seconds) * 100),
      hostBusyPercent: ((host.busy - this.#host.busy) / Math.max(1, host.total - this.#host.total)) * 100,
      udpReceiveBufferErrors: udpReceiveBufferErrors() - this.#udpErrors,
    };
  }
}
