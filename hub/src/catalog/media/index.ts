export {
  analyseMaster,
  analysisArgs,
  measureLoudness,
  verifyArgs,
  verifyDecodes,
  type MasterAnalysis,
} from './analysis';
export { DEMO_TRACKS, generateDemoMaster, type DemoFormat, type DemoTrackSpec } from './demo-audio';
export { findFfmpeg, runFfmpeg, FfmpegFailedError, type FfmpegBinary } from './ffmpeg';
export { type LoudnessSummary } from './ffmpeg-log';
export { MediaRejectedError, type MediaProblem } from './media-rejection';
export { probeMaster, MIN_MP3_BITRATE, type MasterFormat, type MasterInfo, type MasterTags } from './probe';
export { DELIVERY, PREVIEW, planRenditions, renditionArgs, writeRenditions, type RenditionPlan } from './renditions';
