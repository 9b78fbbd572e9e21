import { ApiProperty } from '@nestjs/swagger';
import { ApplianceView } from '../dto/appliance.dto';

/** What the appliance last reported playing. */
export class NowPlayingView {
  @ApiProperty() trackId!: string;
  @ApiProperty({ nullable: true, type: String }) programmeId!: string | null;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ enum: ['full', 'preview'] }) quality!: string;
}

export class CacheView {
  @ApiProperty() tracks!: number;
  @ApiProperty() bytes!: number;
  @ApiProperty() budgetBytes!: number;
  @ApiProperty() missing!: number;
}

export class ReportedErrorView {
  @ApiProperty() at!: string;
  @ApiProperty() message!: string;
}

/** Live status from the appliance's last check-in; the report fields are null until it has checked in. */
export class ApplianceLiveView {
  @ApiProperty({
    enum: ['online', 'offline', 'never'],
    description: 'offline: no check-in for ROOMTONE_APPLIANCE_OFFLINE_AFTER_SECONDS; never: not checked in yet',
  })
  status!: 'online' | 'offline' | 'never';
  @ApiProperty({ nullable: true, type: String, description: 'last check-in, hub clock' }) lastSeenAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'when it went silent, as the offline sweep recorded' })
  offlineSince!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "the appliance's ApplianceState" }) state!: string | null;
  @ApiProperty({ nullable: true, type: NowPlayingView }) nowPlaying!: NowPlayingView | null;
  @ApiProperty({ nullable: true, type: CacheView }) cache!: CacheView | null;
  @ApiProperty({ nullable: true, type: Number }) diskFreeBytes!: number | null;
  @ApiProperty({ nullable: true, type: Number }) playLogPending!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'the plan it holds' }) planId!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'appliance clock minus hub clock at the last check-in' })
  clockSkewMs!: number | null;
  @ApiProperty({ nullable: true, type: String }) softwareVersion!: string | null;
  @ApiProperty({ nullable: true, type: Number }) uptimeSeconds!: number | null;
  @ApiProperty({ type: [ReportedErrorView], description: 'most recent first, at most 20' })
  recentErrors!: ReportedErrorView[];
}

/** An appliance with its live status, as the list and detail endpoints return it (the dashboard's zone status). */
export class ApplianceStatusView extends ApplianceView {
  @ApiProperty({ type: ApplianceLiveView }) live!: ApplianceLiveView;
}
