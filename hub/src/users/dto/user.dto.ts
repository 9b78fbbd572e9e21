import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/password/password-hasher';

const PASSWORD_RULE = `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters (a passphrase works well)`;

/** POST /users. */
export class CreateUserDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'displayName must not be empty' })
  @MaxLength(200)
  displayName!: string;

  @ApiProperty({ format: 'password', minLength: 12 })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: PASSWORD_RULE })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: PASSWORD_RULE })
  password!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isOperator?: boolean;
}

/** PATCH /users/:id (operators). */
export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'displayName must not be empty' })
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isOperator?: boolean;

  /** A disabled user cannot sign in; their sessions end at once. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

/** PATCH /users/me. */
export class UpdateProfileDto {
  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'displayName must not be empty' })
  @MaxLength(200)
  displayName!: string;
}

/** POST /users/me/password. */
export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1, { message: 'currentPassword must not be empty' })
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @ApiProperty({ format: 'password', minLength: 12 })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: PASSWORD_RULE.replace('password', 'newPassword') })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: PASSWORD_RULE.replace('password', 'newPassword') })
  newPassword!: string;
}

/** POST /users/:id/venue-grants. */
export class VenueGrantDto {
  @ApiProperty()
  @IsUUID('all', { message: 'venueId must be a venue id' })
  venueId!: string;
}
