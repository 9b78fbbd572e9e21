import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PROGRAMME_KINDS, type ProgrammeKind } from '../entities/programme.entity';

/** Longest explicit track list. */
export const MAX_PROGRAMME_TRACKS = 5000;
const REPEAT = 'repeatWindowMinutes must be a whole number of minutes from 0 to 10080 (a week)';
const SEPARATION = 'artistSeparationMinutes must be a whole number of minutes from 0 to 1440 (a day)';
const CROSSFADE = 'crossfadeMs must be a whole number of milliseconds from 0 to 12000';
const BPM = (f: string) => `${f} must be a number from 1 to 400`;
const MAX_TRACKS = `maxTracks must be a whole number from 1 to ${MAX_PROGRAMME_TRACKS}`;

/** A rules programme's filters; omitted lists match anything. */
export class ProgrammeRulesDto {
  @ApiPropertyOptional({ type: [String], description: 'any of these genres (case-insensitive)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  genres?: string[];

  @ApiPropertyOptional({ type: [String], description: 'any of these moods (case-insensitive)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  moods?: string[];

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 400 })
  @IsOptional()
  @IsNumber({}, { message: BPM('bpmMin') })
  @Min(1, { message: BPM('bpmMin') })
  @Max(400, { message: BPM('bpmMin') })
  bpmMin?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 400 })
  @IsOptional()
  @IsNumber({}, { message: BPM('bpmMax') })
  @Min(1, { message: BPM('bpmMax') })
  @Max(400, { message: BPM('bpmMax') })
  bpmMax?: number | null;

  @ApiPropertyOptional({
    default: false,
    description: "explicit tracks may be included (the venue's switch applies too)",
  })
  @IsOptional()
  @IsBoolean({ message: 'allowExplicit must be true or false' })
  allowExplicit?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'only tracks of these labels' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'ownerOrganisationIds must be label (organisation) ids' })
  ownerOrganisationIds?: string[];

  @ApiPropertyOptional({ default: 500, minimum: 1, maximum: MAX_PROGRAMME_TRACKS })
  @IsOptional()
  @IsInt({ message: MAX_TRACKS })
  @Min(1, { message: MAX_TRACKS })
  @Max(MAX_PROGRAMME_TRACKS, { message: MAX_TRACKS })
  maxTracks?: number;
}

/** Settings shared by create and patch. */
class ProgrammeSettingsDto {
  @ApiPropertyOptional({ type: [String], description: "'ordered' and 'shuffled': the tracks, in order" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PROGRAMME_TRACKS)
  @IsUUID('all', { each: true, message: 'trackIds must be track ids from the catalogue' })
  trackIds?: string[];

  @ApiPropertyOptional({ type: () => ProgrammeRulesDto, description: "'rules': the filters" })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProgrammeRulesDto)
  rules?: ProgrammeRulesDto;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 10080 })
  @IsOptional()
  @IsInt({ message: REPEAT })
  @Min(0, { message: REPEAT })
  @Max(10080, { message: REPEAT })
  repeatWindowMinutes?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 1440 })
  @IsOptional()
  @IsInt({ message: SEPARATION })
  @Min(0, { message: SEPARATION })
  @Max(1440, { message: SEPARATION })
  artistSeparationMinutes?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 12000, description: '0: gapless' })
  @IsOptional()
  @IsInt({ message: CROSSFADE })
  @Min(0, { message: CROSSFADE })
  @Max(12000, { message: CROSSFADE })
  crossfadeMs?: number;
}

/** POST /organisations/:organisationId/programmes. */
export class CreateProgrammeDto extends ProgrammeSettingsDto {
  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: PROGRAMME_KINDS })
  @IsIn(PROGRAMME_KINDS, { message: `kind must be one of ${PROGRAMME_KINDS.join(', ')}` })
  kind!: ProgrammeKind;
}

/** PATCH /programmes/:id: the fields to change (the kind is fixed; create another programme to change it). */
export class UpdateProgrammeDto extends ProgrammeSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string;
}
