import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { TRACK_STATUSES, type TrackStatus } from '../entities/track.entity';
import { TRACK_SORTS, type TrackSort } from '../search/track-search-query';
import { ISRC_INPUT } from './isrc';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** Query of POST /tracks: the body is the master itself (audio/mpeg, audio/flac, audio/wav). */
export class UploadTrackQuery {
  @ApiPropertyOptional({ description: 'The label that owns the track; needed when the caller belongs to several' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ description: 'The file name the master had, kept for reference and as a fallback title' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;
}

/** PATCH /tracks/:id: what the owner may correct. `null` clears an optional field. */
export class UpdateTrackDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(300) title?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(300) artist?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(300) album?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) label?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  year?: number | null;

  @ApiPropertyOptional({ nullable: true, example: 'GB-RTD-26-00001' })
  @IsOptional()
  @IsString()
  @Matches(ISRC_INPUT, { message: 'isrc must be an ISRC: CC-XXX-YY-NNNNN (country, registrant, year, 5 digits)' })
  isrc?: string | null;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) genre?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) mood?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(20)
  @Max(300)
  bpm?: number | null;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() explicit?: boolean;
}

/** GET /tracks: search, filters, sort and page. */
export class SearchTracksQuery {
  @ApiPropertyOptional({ description: 'Words found in title, artist, album, label, genre or mood (prefixes match)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) genre?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) mood?: string;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(0) bpmMin?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(0) bpmMax?: number;

  @ApiPropertyOptional({ description: 'Shortest duration, seconds' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  durationMin?: number;

  @ApiPropertyOptional({ description: 'Longest duration, seconds' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  durationMax?: number;

  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() explicit?: boolean;

  @ApiPropertyOptional({ description: 'Owner (label organisation) id' }) @IsOptional() @IsUUID() owner?: string;

  @ApiPropertyOptional({ enum: TRACK_STATUSES }) @IsOptional() @IsIn(TRACK_STATUSES) status?: TrackStatus;

  @ApiPropertyOptional({ enum: TRACK_SORTS, description: 'Default: relevance with q, else title' })
  @IsOptional()
  @IsIn(TRACK_SORTS)
  sort?: TrackSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'] }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}
