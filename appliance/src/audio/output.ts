/**
 * Where the engine's PCM goes (s16le, 44.1 kHz, stereo). The port hides the sound server: the PulseAudio adapter in
 * production, a fake in unit tests. Implementations apply back-pressure: `write` resolves when the chunk has been
 * accepted, so a writer can never run more than the output's buffer ahead of the speakers.
 */
export interface AudioOutput {
  /** Queues one chunk of whole frames; resolves when accepted. Rejects only once the output is closed. */
  write(chunk: Buffer): Promise<void>;
  /**
   * Plays out what is buffered and closes the output (a later write fails); with `discard`, buffered audio is dropped.
   * There is no separate drain: pulseaudio.js can only drain a stream by ending it.
   */
  close(options?: { discard?: boolean }): Promise<void>;
}
