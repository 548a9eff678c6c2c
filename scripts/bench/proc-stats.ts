import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

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

/**
 * Datagrams the kernel dropped because a socket's receive buffer was full, summed over `inodes`,
 * from the text of /proc/net/udp (column 10 is the inode, the last column the drop counter).
 */
export function udpDropsFromTable(tableText: string, inodes: ReadonlySet<string>): number {
  let drops = 0;
  for (const line of tableText.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length >= 13 && inodes.has(fields[9]!)) drops += Number(fields.at(-1)) || 0;
  }
  return drops;
}

/** Socket inodes a process holds open (its /proc/<pid>/fd links read "socket:[inode]"). */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // the descriptor closed while we looked
    }
  }
  return inodes;
}

/** UDP receive-buffer drops so far at the sockets of one process: where the packets were lost. */
export function udpDropsOf(pid: number): number {
  return udpDropsFromTable(readFileSync('/proc/net/udp', 'utf8'), socketInodes(pid));
}

/** Samples CPU use of some processes and the host over a window. */
export class CpuWindow {
  readonly #pids: readonly number[];
  readonly #startedAt: number;
  readonly #cpu: number[];
  readonly #wait: number[];
  readonly #host: { busy: number; total: number };
  readonly #drops: number[];

  constructor(pids: readonly number[]) {
    this.#pids = pids;
    this.#startedAt = performance.now();
    this.#cpu = pids.map(cpuSeconds);
    this.#wait = pids.map(runQueueWaitNs);
    this.#host = hostCpuJiffies();
    this.#drops = pids.map(udpDropsOf);
  }

  /**
   * Per process: % of one core used, and % of the window spent waiting for a core; host: % of all
   * cores busy (anyone's work).
   */
  finish(): {
    percentOfCore: number[];
    waitPercent: number[];
    hostBusyPercent: number;
    /** Per process: datagrams dropped at its full sockets. */
    udpDrops: number[];
  } {
    const seconds = (performance.now() - this.#startedAt) / 1000;
    const host = hostCpuJiffies();
    return {
      percentOfCore: this.#pids.map((pid, i) => ((cpuSeconds(pid) - this.#cpu[i]!) / seconds) * 100),
      waitPercent: this.#pids.map((pid, i) => ((runQueueWaitNs(pid) - this.#wait[i]!) / 1e9 / seconds) * 100),
      hostBusyPercent: ((host.busy - this.#host.busy) / Math.max(1, host.total - this.#host.total)) * 100,
      udpDrops: this.#pids.map((pid, i) => udpDropsOf(pid) - this.#drops[i]!),
    };
  }
}
