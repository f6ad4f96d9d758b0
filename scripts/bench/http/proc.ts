import fs from "node:fs";

/**
 * CPU time of processes from /proc (Linux only): the server's own process.cpuUsage() is not
 * reachable from the harness, so utime+stime of /proc/<pid>/stat are read before and after a phase.
 */

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK)

interface Stat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, seconds */
  own: number;
  /** cutime + cstime (children already waited for), seconds */
  children: number;
}

function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null; // gone, or not Linux
  }
  // comm is in parentheses and may hold spaces: split after the last ")".
  const close = text.lastIndexOf(")");
  const comm = text.slice(text.indexOf("(") + 1, close);
  const fields = text.slice(close + 2).split(" ");
  // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17, ppid 4.
  const at = (field: number) => Number(fields[field - 3]);
  return { pid, comm, ppid: at(4), own: (at(14) + at(15)) / TICKS_PER_SECOND, children: (at(16) + at(17)) / TICKS_PER_SECOND };
}

function allStats(): Stat[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  return entries.filter((name) => /^\d+$/.test(name)).flatMap((name) => readStat(Number(name)) ?? []);
}

/** CPU seconds of `pid`, its live descendants and the children it has reaped; null where /proc is missing. */
export function treeCpuSeconds(pid: number): number | null {
  const stats = allStats();
  const root = stats.find((s) => s.pid === pid);
  if (!root) return null;
  const byParent = new Map<number, Stat[]>();
  for (const s of stats) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  let total = 0;
  const queue = [root];
  while (queue.length > 0) {
    const s = queue.pop()!;
    total += s.own + s.children;
    queue.push(...(byParent.get(s.pid) ?? []));
  }
  return total;
}

/**
 * CPU seconds of the local PostgreSQL server: its postmaster (a `postgres` process whose parent is
 * not one), every backend under it, and the backends that have exited. Counts every database of
 * that server, so it is only meaningful while nothing else uses it. null when none is visible (a
 * remote server, or not Linux).
 */
export function postgresCpuSeconds(): number | null {
  const stats = allStats().filter((s) => s.comm === "postgres" || s.comm.startsWith("postgres:"));
  const pids = new Set(stats.map((s) => s.pid));
  const postmasters = stats.filter((s) => !pids.has(s.ppid));
  if (postmasters.length === 0) return null;
  return postmasters.reduce((sum, p) => sum + (treeCpuSeconds(p.pid) ?? 0), 0);
}
