import { ApiProperty } from '@nestjs/swagger';
import type { ApplianceState, CheckinRequest } from '@roomtone/provisioning';
import { APPLIANCE_STATES } from './checkin-validator';

// The check-in body's shape for the API document only: parseCheckin (checkin-validator.ts) checks it.

export class NowPlayingDto {
  @ApiProperty() trackId!: string;
  @ApiProperty({ nullable: true, type: String }) programmeId!: string | null;
  @ApiProperty({ description: 'ISO UTC' }) startedAt!: string;
  @ApiProperty({ enum: ['full', 'preview'] }) quality!: 'full' | 'preview';
}

export class CacheDto {
  @ApiProperty() tracks!: number;
  @ApiProperty() bytes!: number;
  @ApiProperty() budgetBytes!: number;
  @ApiProperty() missing!: number;
}

export class DiskDto {
  @ApiProperty() freeBytes!: number;
}

export class PlayLogDto {
  @ApiProperty() pending!: number;
  @ApiProperty() lastSequence!: number;
}

export class ReportedErrorDto {
  @ApiProperty({ description: 'ISO UTC' }) at!: string;
  @ApiProperty({ maxLength: 1000 }) message!: string;
}

/** POST /appliance/v1/checkin body: provisioning's CheckinRequest. */
export class CheckinDto implements CheckinRequest {
  @ApiProperty({ example: '1.4.2', maxLength: 100 }) softwareVersion!: string;
  @ApiProperty({ description: "the appliance's wall clock when it sent the request (ISO UTC)" }) clock!: string;
  @ApiProperty() uptimeSeconds!: number;
  @ApiProperty({ enum: APPLIANCE_STATES }) state!: ApplianceState;
  @ApiProperty({ nullable: true, type: String, description: 'the plan the appliance holds' }) planId!: string | null;
  @ApiProperty({ nullable: true, type: String }) licenceEtag!: string | null;
  @ApiProperty({ nullable: true, type: NowPlayingDto }) nowPlaying!: NowPlayingDto | null;
  @ApiProperty({ type: CacheDto }) cache!: CacheDto;
  @ApiProperty({ type: DiskDto }) disk!: DiskDto;
  @ApiProperty({ type: PlayLogDto }) playLog!: PlayLogDto;
  @ApiProperty({ type: [ReportedErrorDto], description: 'most recent first, at most 20' }) errors!: ReportedErrorDto[];
}
