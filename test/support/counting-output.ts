import { type AudioOutput } from '../../appliance/src/audio';

/**
 * Wraps an output and counts the frames written, so a test can act at an exact position of the track ("after 1.5 s
 * of it was written") instead of guessing from the capture, whose arrival times lag on a busy machine.
 */
export class CountingOutput implements AudioOutput {
  frames = 0;
  private waiters: { frames: number; resolve: () => void }[] = [];

  constructor(private readonly inner: AudioOutput) {}

  async write(chunk: Buffer): Promise<void> {
    await this.inner.write(chunk);
    this.frames += chunk.length / 4;
    this.waiters = this.waiters.filter((w) => {
      if (this.frames < w.frames) return true;
      w.resolve();
      return false;
    });
  }

  close(options?: { discard?: boolean }): Promise<void> {
    return this.inner.close(options);
  }

  /** Resolves once at least `frames` frames have been written. */
  untilFrames(frames: number): Promise<void> {
    if (this.frames >= frames) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ frames, resolve }));
  }
}
