// nginx (Debian package) as the reference file server: same plaintext files, sendfile on, as user nobody on a high
// port with a generated configuration. Installed with apt-get when missing (benchmark only, never the test suite).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, link, mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

const NGINX = '/usr/sbin/nginx';

export interface Nginx {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  stop(): Promise<void>;
}

function ensureInstalled(): void {
  if (existsSync(NGINX)) return;
  console.log('nginx missing: apt-get install -y nginx');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx'], { stdio: 'inherit' });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port: number, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Serves `files` (name -> path) from `prefix` (a fresh directory) and returns once it listens. */
export async function startNginx(prefix: string, files: Map<string, string>): Promise<Nginx> {
  ensureInstalled();
  const root = path.join(prefix, 'files');
  await mkdir(root, { recursive: true });
  for (const [name, file] of files) await link(file, path.join(root, name));
  const port = await freePort();
  const conf = path.join(prefix, 'nginx.conf');
  await writeFile(
    conf,
    `worker_processes auto;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  types { audio/mpeg mp3; }
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`,
  );
  // Readable and writable for nobody: the prefix (pid, logs, temp dirs) and the files.
  await chmod(prefix, 0o777);
  await chmod(root, 0o755);
  for (const name of files.keys()) await chmod(path.join(root, name), 0o644);
  const asRoot = process.getuid?.() === 0;
  const nobody = asRoot ? Number(execFileSync('id', ['-u', 'nobody']).toString().trim()) : undefined;
  const nogroup = asRoot ? Number(execFileSync('id', ['-g', 'nobody']).toString().trim()) : undefined;
  const child = spawn(NGINX, ['-p', prefix, '-c', conf, '-e', `${prefix}/error.log`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    uid: nobody,
    gid: nogroup,
  });
  await waitForPort(port);
  return {
    child,
    pid: child.pid as number,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill('SIGQUIT');
      }),
  };
}
