import { AppError, ErrorCode } from '../../common/errors';

/** Why an uploaded master was refused. Stable: clients read it from `details.problem`. */
export type MediaProblem =
  | 'EMPTY_FILE'
  | 'NOT_AUDIO'
  | 'UNSUPPORTED_FORMAT'
  | 'BITRATE_TOO_LOW'
  | 'TRUNCATED'
  | 'CORRUPT'
  | 'NO_AUDIO'
  | 'TOO_LARGE';

function codeFor(problem: MediaProblem): ErrorCode {
  switch (problem) {
    case 'NOT_AUDIO':
    case 'UNSUPPORTED_FORMAT':
      return ErrorCode.UnsupportedMediaType;
    case 'TOO_LARGE':
      return ErrorCode.PayloadTooLarge;
    case 'EMPTY_FILE':
    case 'BITRATE_TOO_LOW':
    case 'TRUNCATED':
    case 'CORRUPT':
    case 'NO_AUDIO':
      return ErrorCode.MediaInvalid;
  }
}

/** A master the hub will not ingest; the message says what is wrong with the file and what to upload instead. */
export class MediaRejectedError extends AppError {
  constructor(
    readonly problem: MediaProblem,
    message: string,
  ) {
    super(codeFor(problem), message, { problem });
    this.name = 'MediaRejectedError';
  }
}
