// nginx as a plain reverse proxy in front of the provider: the yardstick for what "a hop" costs
// when nothing is checked, recorded or signed. Everything it writes stays in the bench's temp dir.
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawnChild, waitForPort, type Child } from './processes.ts';

/** e.g. "nginx/1.22.1", or undefined when nginx is not installed. */
export function nginxVersion(): string | undefined {
  const r = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return /nginx\/\S+/.exec(r.stderr)?.[0] ?? 'nginx';
}

function config(dir: string, listenPort: number, upstreamPort: number): string {
  const tmp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  return `
# As root, workers would otherwise run as nobody and could not enter the private temp dir.
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(tmp).join('\n  ')}
  upstream provider {
    server 127.0.0.1:${upstreamPort};
    # Pooled upstream connections, like the node's undici pool: no TCP handshake per request.
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${listenPort};
    # The default (1000) would close client connections mid-run; autocannon never reconnects as fast.
    keepalive_requests 1000000;
    location / {
      proxy_pass http://provider;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** Starts nginx (master + 1 worker) on CPU `cpu` and waits for its port. */
export async function startNginx(dir: string, listenPort: number, upstreamPort: number, cpu: number): Promise<Child> {
  await mkdir(dir, { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(conf, config(dir, listenPort, upstreamPort));
  // -p/-e keep nginx from touching its compiled-in prefix and default error log at start.
  const child = spawnChild('nginx', ['nginx', '-p', dir + '/', '-e', path.join(dir, 'error.log'), '-c', conf, '-g', 'daemon off;'], { cpu });
  await waitForPort(listenPort, child);
  return child;
}
