import { readdirSync, readFileSync } from 'node:fs';

/** User and system CPU seconds from a /proc/.../stat line (clock ticks of 1/100 s). */
function cpuOfStat(stat: string): { user: number; system: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: state(0) ppid(1) ... utime(11) stime(12).
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

/** User and system CPU seconds a process has used so far, from /proc/<pid>/stat. */
export function cpuOf(pid: number): { user: number; system: number } {
  return cpuOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  const { user, system } = cpuOf(pid);
  return user + system;
}

/** CPU seconds (user + system) so far of each thread of a process, by thread id (the main thread's id is `pid`). */
export function threadCpuSeconds(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const { user, system } = cpuOfStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      threads.set(Number(tid), user + system);
    } catch {
      // The thread ended between the listing and the read: it has nothing more to count.
    }
  }
  return threads;
}

/**
 * "main 1.42 s, others 1.80 0.20 0.15 s": the main thread's CPU seconds between two {@link threadCpuSeconds}
 * readings, then every other thread's that used at least 0.05 s, largest first.
 */
export function threadCpuSummary(pid: number, before: Map<number, number>, after: Map<number, number>): string {
  const used = (tid: number) => (after.get(tid) ?? 0) - (before.get(tid) ?? 0);
  const others = [...after.keys()]
    .filter((tid) => tid !== pid)
    .map(used)
    .filter((s) => s >= 0.05)
    .sort((a, b) => b - a);
  return `main ${used(pid).toFixed(2)} s, others ${others.map((s) => s.toFixed(2)).join(' ')} s`;
}
