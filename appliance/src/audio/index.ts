export { type Clock, systemClock } from './clock';
export { crossfade } from './crossfade';
export { Deck, type PlayItem } from './deck';
export { AudioError, type AudioErrorCode } from './errors';
export * from './format';
export { DEFAULT_LOUDNESS_POLICY, type LoudnessPolicy, type TrackLoudness, trackGainDb, volumeToGain } from './gain';
export { DECODE_CHUNK_BYTES, decodeMp3, rechunk } from './mp3-decoder';
export { type AudioOutput } from './output';
export {
  Player,
  type PlayerEvents,
  type PlayerOptions,
  type TrackEndReason,
  type TrackEnded,
  type TrackFailed,
  type TrackStarted,
} from './player';
export { PulseAudioOutput, type PulseOutputEvents, type PulseOutputOptions } from './pulse-output';
export { resolvePulseSocket } from './pulse-socket';
export { GainRamp } from './ramp';
export { StreamResampler } from './resample';
export { type TestToneOptions, parseTestToneOptions, playTone, runTestTone } from './test-tone';
export { DEFAULT_TONE, type ToneSpec, generateTone } from './tone';
export { TypedEmitter } from './typed-emitter';
