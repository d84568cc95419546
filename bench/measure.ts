// What the bench reads from /proc: CPU time and memory of a process (all its threads, so the
// node's record-writer thread and libuv pool are included), its children, and the machine.
import os from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

function read(file: string): string | undefined {
  try { return readFileSync(file, 'utf8'); } catch { return undefined; }
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and ')'. */
function statFields(pid: number): string[] | undefined {
  const s = read(`/proc/${pid}/stat`);
  return s === undefined ? undefined : s.slice(s.lastIndexOf(')') + 2).split(' ');
}

// Field numbers from proc(5), minus the 3 that precede the state field.
const PPID = 4 - 3, UTIME = 14 - 3, STIME = 15 - 3, STARTTIME = 22 - 3;

export function startTimeOf(pid: number): string | undefined {
  return statFields(pid)?.[STARTTIME];
}

export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (statFields(Number(name))?.[PPID] === String(pid)) out.push(Number(name));
  }
  return out;
}

let ticks: number | undefined;
/** USER_HZ: the unit of utime/stime (almost always 100, asked rather than assumed). */
export function clockTicksPerSecond(): number {
  ticks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
  return ticks;
}

/** User + system CPU time of the whole process, in microseconds. */
export function cpuMicros(pid: number): number {
  const f = statFields(pid);
  if (!f) throw new Error(`process ${pid} is gone`);
  return ((Number(f[UTIME]) + Number(f[STIME])) * 1e6) / clockTicksPerSecond();
}

/** A `Vm*` line of /proc/<pid>/status, in KiB (0 if the process is gone). */
export function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(read(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) : 0;
}

/** Samples VmRSS at a fixed interval; keeps the peak and every sample. */
export class RssSampler {
  peakKb = 0;
  readonly samples: { atMs: number; kb: number }[] = [];
  private readonly t0 = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number, private readonly everyMs = 200) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    const kb = statusKb(this.pid, 'VmRSS');
    this.samples.push({ atMs: Date.now() - this.t0, kb });
    if (kb > this.peakKb) this.peakKb = kb;
  }

  /** Stops sampling, with a last sample unless one was just taken. */
  stop(): number {
    clearInterval(this.timer);
    if (Date.now() - this.t0 - (this.samples.at(-1)?.atMs ?? 0) > this.everyMs / 2) this.sample();
    return this.peakKb;
  }
}

export function machine(): { nproc: number; cpuModel: string } {
  const model = /^model name\s*:\s*(.+)$/m.exec(read('/proc/cpuinfo') ?? '')?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return { nproc: os.availableParallelism(), cpuModel: model.trim() };
}

/**
 * CPU time the whole machine has spent busy (user, nice, system, irq, softirq), in microseconds.
 * Loopback networking lands partly in softirq, which processes' own utime/stime only partly show:
 * compared with them this is exact to a few tens of % of a CPU, enough to see someone else's load.
 */
export function machineBusyMicros(): number {
  const f = (/^cpu\s+(.+)$/m.exec(read('/proc/stat') ?? '')?.[1] ?? '').split(/\s+/).map(Number);
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0);
  return (busy * 1e6) / clockTicksPerSecond();
}

/** Share of all CPUs busy over `ms`: other people's load skews every row. */
export async function machineBusyShare(ms = 1000): Promise<number> {
  const a = machineBusyMicros();
  const t = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  return (machineBusyMicros() - a) / ((Date.now() - t) * 1000 * machine().nproc);
}
