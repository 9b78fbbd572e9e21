/** Why an audio operation failed; one code per thing the caller can act on. */
export type AudioErrorCode =
  'INVALID_ARGUMENT' | 'OUTPUT_UNREACHABLE' | 'SINK_NOT_FOUND' | 'OUTPUT_CLOSED' | 'DECODE_FAILED' | 'PLAYER_STOPPED';

/** A failure of the sound path, with a code and a message that says what is wrong and what to do. */
export class AudioError extends Error {
  constructor(
    readonly code: AudioErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AudioError';
  }
}
