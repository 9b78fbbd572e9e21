// The built hub (hub/dist/main.js) as a child process for the delivery benchmark.
// BENCH_HUB_NODE_ARGS: extra node options for it, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const HUB_MAIN = path.resolve(__dirname, '../../hub/dist/main.js');

export interface HubChild {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startHub(env: Record<string, string>): Promise<HubChild> {
  const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, HUB_MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const errors: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (text: string) => errors.length < 100 && errors.push(text));
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      buffer = (buffer + text).slice(-100_000);
      const match = /"msg":"hub listening","url":"http:\/\/[^:]+:(\d+)"/.exec(buffer);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error(`hub exited before listening: ${errors.join('')}`)));
  });
  return {
    child,
    pid: child.pid as number,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
