import { execFile } from 'node:child_process';

/**
 * systemd's notification protocol (sd_notify(3)): datagrams like "READY=1" or "WATCHDOG=1" to the unix datagram
 * socket named by $NOTIFY_SOCKET. Node has no unix datagram sockets (node:dgram is UDP only) and the npm bindings
 * (sd-notify, sd-daemon) compile against libsystemd, so we run `systemd-notify` (from the systemd package, present on
 * every machine that has a NOTIFY_SOCKET). The message then comes from a child process, so the unit needs
 * NotifyAccess=all. A child that exits before systemd reads its message could not be attributed to the unit; systemd's
 * own systemd-notify (252 here) guards against that by following each message with BARRIER=1 and waiting until the
 * manager has processed it. Belt and braces: every message after start-up repeats READY=1 (harmless), and the
 * watchdog is pinged at half its interval, so one lost ping never trips it.
 */
export class SdNotifier {
  private ready = false;
  private failures = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly command = 'systemd-notify',
  ) {}

  /** True when started by systemd with Type=notify (there is a socket to notify). */
  get enabled(): boolean {
    return Boolean(this.env.NOTIFY_SOCKET);
  }

  /** How often to ping the watchdog (half of WatchdogSec), or undefined when systemd runs no watchdog for us. */
  watchdogIntervalMs(): number | undefined {
    const usec = Number(this.env.WATCHDOG_USEC);
    if (!this.enabled || !Number.isFinite(usec) || usec <= 0) return undefined;
    const pid = this.env.WATCHDOG_PID;
    if (pid && Number(pid) !== process.pid) return undefined;
    return Math.max(500, Math.floor(usec / 1000 / 2));
  }

  /** Start-up is complete (music may not play yet, but the daemon runs and writes status). */
  async notifyReady(status: string): Promise<void> {
    this.ready = true;
    await this.send(['READY=1', `STATUS=${status}`]);
  }

  /** The daemon is alive and its loop is turning. */
  async notifyWatchdog(status: string): Promise<void> {
    await this.send([...(this.ready ? ['READY=1'] : []), 'WATCHDOG=1', `STATUS=${status}`]);
  }

  /** Shutdown begins. */
  async notifyStopping(): Promise<void> {
    await this.send(['STOPPING=1']);
  }

  /**
   * Sends one message (fields joined by newlines); never throws: a lost notification must not stop the music.
   * Messages go out one at a time, in order (a watchdog ping still in flight must not arrive after STOPPING=1).
   */
  send(fields: string[]): Promise<boolean> {
    if (!this.enabled) return Promise.resolve(false);
    const sent = this.queue.then(() => this.sendNow(fields));
    this.queue = sent.then(() => undefined);
    return sent;
  }

  private sendNow(fields: string[]): Promise<boolean> {
    const message = fields.map((f) => f.replace(/\n/g, ' '));
    return new Promise<boolean>((resolve) => {
      // systemd-notify takes the assignments as arguments and sends them as one datagram.
      execFile(this.command, message, { env: this.env, timeout: 5000 }, (error) => {
        if (error) this.failures += 1;
        resolve(!error);
      });
    });
  }

  /** Messages that could not be sent (shown in status). */
  get failed(): number {
    return this.failures;
  }
}
