// A network between node processes that a test can cut for real: the test's own host (the root
// network namespace) and a second host (a namespace of its own), joined through a third namespace
// that routes between them, each link a veth pair (iproute2). Cutting the link adds blackhole routes
// in the router, so that packets between the two hosts are dropped silently in both directions, as
// on a severed line between two cities: no reset, no ICMP error, connections simply time out. Healing
// removes them. Needs root and `ip` (Debian's iproute2; .ci/run installs it when missing).
//
//   root namespace (test, provinces)  H.1 ── H.2  router  R.1 ── R.2  remote host   (H, R: two /30s)
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { whenStarted, type NodeProc } from './cluster-processes.ts';
import { CLI } from './cli-entry.ts';

const run = promisify(execFile);

export interface Network {
  /** The root namespace's address, as the remote host reaches it. */
  readonly localAddress: string;
  /** The remote host's address. */
  readonly remoteAddress: string;
  /** `tabadol …args` on the remote host, as a process of its own; resolves once it reports its ports. */
  startRemote(args: string[]): Promise<NodeProc>;
  cut(): Promise<void>;
  heal(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Why namespaces cannot be made here, or undefined when they can: root and `ip` are needed. CI
 * (TABADOL_REQUIRE_NETNS=1, set by .ci/run) runs the partition tests whatever this says, so that
 * there a missing capability fails them instead of leaving them out.
 */
export function netnsUnavailable(): string | undefined {
  if (process.env.TABADOL_REQUIRE_NETNS === '1') return undefined;
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'no `ip` command (Debian: iproute2)';
  }
  return undefined;
}

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

/** Namespaces and links named after this process, so that test runs side by side do not meet. */
export async function makeNetwork(): Promise<Network> {
  if (process.getuid?.() !== 0) throw new Error('the partition tests make network namespaces, which needs root');
  const tag = `tb${process.pid % 100_000}`;
  // Two /30 subnets of 10.0.0.0/8 of this process's own, from its pid: 16,000 runs side by side
  // before two could meet.
  const k = process.pid % 16_000;
  const [a, b] = [100 + (k >> 7), (k & 127) * 2];
  const [hostNet, remoteNet] = [`10.${a}.${b}`, `10.${a}.${b + 1}`];
  const [router, remote] = [`${tag}r`, `${tag}a`];
  const local = `${hostNet}.1`;
  const remoteAddress = `${remoteNet}.2`;
  const inRouter = (...a: string[]) => ip('netns', 'exec', router, 'ip', ...a);
  const inRemote = (...a: string[]) => ip('netns', 'exec', remote, 'ip', ...a);
  let cutNow = false;
  const close = async () => {
    // Deleting a namespace deletes the veth ends in it, and with them their peers.
    for (const ns of [remote, router]) await ip('netns', 'del', ns).catch(() => undefined);
    await ip('route', 'del', `${remoteNet}.0/30`).catch(() => undefined);
    await ip('link', 'del', `${tag}h`).catch(() => undefined);
  };
  await close(); // anything a killed earlier run of this pid left
  try {
    await ip('netns', 'add', router);
    await ip('netns', 'add', remote);
    await ip('link', 'add', `${tag}h`, 'type', 'veth', 'peer', 'name', `${tag}r1`);
    await ip('link', 'set', `${tag}r1`, 'netns', router);
    await ip('link', 'add', `${tag}a0`, 'type', 'veth', 'peer', 'name', `${tag}r2`);
    await ip('link', 'set', `${tag}r2`, 'netns', router);
    await ip('link', 'set', `${tag}a0`, 'netns', remote);
    await ip('addr', 'add', `${local}/30`, 'dev', `${tag}h`);
    await ip('link', 'set', `${tag}h`, 'up');
    await inRouter('addr', 'add', `${hostNet}.2/30`, 'dev', `${tag}r1`);
    await inRouter('addr', 'add', `${remoteNet}.1/30`, 'dev', `${tag}r2`);
    for (const dev of [`${tag}r1`, `${tag}r2`, 'lo']) await inRouter('link', 'set', dev, 'up');
    await run('ip', ['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    await inRemote('addr', 'add', `${remoteAddress}/30`, 'dev', `${tag}a0`);
    for (const dev of [`${tag}a0`, 'lo']) await inRemote('link', 'set', dev, 'up');
    await inRemote('route', 'add', 'default', 'via', `${remoteNet}.1`);
    await ip('route', 'add', `${remoteNet}.0/30`, 'via', `${hostNet}.2`);
  } catch (e) {
    await close();
    throw e;
  }
  return {
    localAddress: local,
    remoteAddress,
    startRemote(args) {
      // `ip netns exec` execs node in the namespace: the child is node itself, with its IPC channel.
      const child = spawn('ip', ['netns', 'exec', remote, process.execPath, ...CLI.execArgv, CLI.module, ...args], {
        env: { ...process.env, TABADOL_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      });
      return whenStarted(child, `tabadol ${args.slice(2, 3).join(' ')} in ${remote}`);
    },
    async cut() {
      if (cutNow) return;
      await inRouter('route', 'add', 'blackhole', `${remoteAddress}/32`);
      await inRouter('route', 'add', 'blackhole', `${local}/32`);
      cutNow = true;
    },
    async heal() {
      if (!cutNow) return;
      await inRouter('route', 'del', 'blackhole', `${remoteAddress}/32`);
      await inRouter('route', 'del', 'blackhole', `${local}/32`);
      cutNow = false;
    },
    close,
  };
}
