import { ApiProperty } from '@nestjs/swagger';
import type { ApplianceState, CheckinRequest } from '@roomtone/provisioning';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** Every ApplianceState; the `satisfies` and the type check below keep it equal to the wire contract's union. */
export const APPLIANCE_STATES = [
  'starting',
  'playing',
  'silent',
  'no-plan',
  'no-licence',
  'lease-expired',
  'plan-expired',
  'clock-untrusted',
  'audio-error',
] as const satisfies readonly ApplianceState[];
type Missing = Exclude<ApplianceState, (typeof APPLIANCE_STATES)[number]>;
const allStates: Missing extends never ? true : never = true;
void allStates;

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX = Number.MAX_SAFE_INTEGER;

/** A property that must be present and may be null (undefined is refused: the contract always sends it). */
const Nullable = (): PropertyDecorator => ValidateIf((_o, value) => value !== null);

function Count(): PropertyDecorator {
  return (target, key) => {
    IsInt({ message: `${String(key)} must be a whole number >= 0` })(target, key);
    Min(0, { message: `${String(key)} must be a whole number >= 0` })(target, key);
    Max(MAX, { message: `${String(key)} must be at most ${MAX}` })(target, key);
  };
}

function UtcInstant(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Matches(ISO_UTC, { message: `${String(key)} must be an ISO 8601 UTC instant such as 2026-11-24T10:00:00.000Z` })(
      target,
      key,
    );
    IsISO8601({ strict: true }, { message: `${String(key)} must be a real date and time` })(target, key);
  };
}

export class NowPlayingDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) trackId!: string;
  @ApiProperty({ nullable: true, type: String }) @Nullable() @IsString() @MaxLength(64) programmeId!: string | null;
  @ApiProperty() @UtcInstant() startedAt!: string;
  @ApiProperty({ enum: ['full', 'preview'] }) @IsIn(['full', 'preview']) quality!: 'full' | 'preview';
}

export class CacheDto {
  @ApiProperty() @Count() tracks!: number;
  @ApiProperty() @Count() bytes!: number;
  @ApiProperty() @Count() budgetBytes!: number;
  @ApiProperty() @Count() missing!: number;
}

export class DiskDto {
  @ApiProperty() @Count() freeBytes!: number;
}

export class PlayLogDto {
  @ApiProperty() @Count() pending!: number;
  @ApiProperty() @Count() lastSequence!: number;
}

export class ReportedErrorDto {
  @ApiProperty() @UtcInstant() at!: string;
  @ApiProperty() @IsString() @MaxLength(1000) message!: string;
}

/** POST /appliance/v1/checkin body: provisioning's CheckinRequest, checked field by field. */
export class CheckinDto implements CheckinRequest {
  @ApiProperty({ example: '1.4.2' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  softwareVersion!: string;

  @ApiProperty({ description: "the appliance's wall clock when it sent the request (ISO UTC)" })
  @UtcInstant()
  clock!: string;

  @ApiProperty() @Count() uptimeSeconds!: number;

  @ApiProperty({ enum: APPLIANCE_STATES })
  @IsIn(APPLIANCE_STATES, { message: `state must be one of ${APPLIANCE_STATES.join(', ')}` })
  state!: ApplianceState;

  @ApiProperty({ nullable: true, type: String, description: 'the plan the appliance holds' })
  @Nullable()
  @Matches(UUID, { message: 'planId must be a plan id (uuid) or null' })
  planId!: string | null;

  @ApiProperty({ nullable: true, type: String })
  @Nullable()
  @IsString()
  @MaxLength(100)
  licenceEtag!: string | null;

  @ApiProperty({ nullable: true, type: NowPlayingDto })
  @Nullable()
  @IsObject({ message: 'nowPlaying must be an object or null' })
  @ValidateNested()
  @Type(() => NowPlayingDto)
  nowPlaying!: NowPlayingDto | null;

  @ApiProperty({ type: CacheDto })
  @IsObject({ message: 'cache must be an object' })
  @ValidateNested()
  @Type(() => CacheDto)
  cache!: CacheDto;

  @ApiProperty({ type: DiskDto })
  @IsObject({ message: 'disk must be an object' })
  @ValidateNested()
  @Type(() => DiskDto)
  disk!: DiskDto;

  @ApiProperty({ type: PlayLogDto })
  @IsObject({ message: 'playLog must be an object' })
  @ValidateNested()
  @Type(() => PlayLogDto)
  playLog!: PlayLogDto;

  @ApiProperty({ type: [ReportedErrorDto], description: 'most recent first, at most 20' })
  @IsArray()
  @ArrayMaxSize(20, { message: 'errors must hold at most 20 entries (the most recent)' })
  @ValidateNested({ each: true })
  @Type(() => ReportedErrorDto)
  errors!: ReportedErrorDto[];
}
