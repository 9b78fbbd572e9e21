import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

const BASE64URL_KEY = /^[A-Za-z0-9_-]{43}$/;

/** A device's two public keys, base64url without padding (32 bytes each). */
export class PublicKeysDto {
  @ApiProperty({ description: 'Ed25519 public key, base64url' })
  @IsString()
  @Matches(BASE64URL_KEY, { message: 'signing must be a base64url Ed25519 public key (43 characters)' })
  signing!: string;

  @ApiProperty({ description: 'X25519 public key, base64url' })
  @IsString()
  @Matches(BASE64URL_KEY, { message: 'encryption must be a base64url X25519 public key (43 characters)' })
  encryption!: string;
}

/** One appliance of a factory bundle. */
export class BundleApplianceDto {
  @ApiProperty({ type: PublicKeysDto })
  @ValidateNested()
  @Type(() => PublicKeysDto)
  publicKeys!: PublicKeysDto;
}

/** Body of POST /api/venues/:venueId/appliances/bundle, as `roomtone-provision bundle` sends it. */
export class BundleDto {
  @ApiProperty({ type: [BundleApplianceDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => BundleApplianceDto)
  appliances!: BundleApplianceDto[];
}

/** Body of POST /appliances/:id/revoke. */
export class RevokeDto {
  @ApiProperty({ example: 'stolen from the Main Street shop' })
  @IsString()
  @MinLength(3)
  @MaxLength(400)
  reason!: string;
}

/** Body of POST /zones/:zoneId/replace-appliance. */
export class ReplaceApplianceDto {
  @ApiProperty({ description: 'the appliance that takes over the zone (enrolled or bundled for the same venue)' })
  @IsString()
  @Matches(/^[0-9a-f-]{36}$/, { message: 'applianceId must be an appliance id' })
  applianceId!: string;
}

/** An appliance as users see it. */
export class ApplianceView {
  @ApiProperty() id!: string;
  @ApiProperty() venueId!: string;
  @ApiProperty({ nullable: true, type: String }) zoneId!: string | null;
  @ApiProperty({ enum: ['active', 'revoked'] }) status!: string;
  @ApiProperty() signingKey!: string;
  @ApiProperty() encryptionKey!: string;
  @ApiProperty({ enum: ['code', 'bundle'] }) enrolledVia!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) replacesId!: string | null;
  @ApiProperty({ nullable: true, type: String }) replacedById!: string | null;
  @ApiProperty() createdAt!: string;
}
