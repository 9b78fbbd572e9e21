import { join } from 'node:path';

/**
 * Where PulseAudio's native socket is: an explicit path wins, then PULSE_SERVER (only its `unix:` form, which is what
 * a headless appliance uses), then $XDG_RUNTIME_DIR/pulse/native, then /run/user/<uid>/pulse/native. pulseaudio.js
 * reads none of these itself.
 */
export function resolvePulseSocket(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit.startsWith('unix:') ? explicit.slice('unix:'.length) : explicit;
  const server = env.PULSE_SERVER;
  if (server) {
    const unix = server.split(/\s+/).find((s) => s.startsWith('unix:'));
    if (unix) return unix.slice('unix:'.length);
  }
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'pulse', 'native');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return `/run/user/${uid}/pulse/native`;
}
