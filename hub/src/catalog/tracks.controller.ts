import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access/access.decorator';
import { CurrentPrincipal } from '../auth/access/current-principal.decorator';
import type { Principal } from '../auth/access/principal';
import { AppError, ErrorCode } from '../common/errors';
import { MANAGE_TRACKS, SEE_TRACKS } from './catalog-access';
import { SearchTracksQuery, UpdateTrackDto, UploadTrackQuery } from './dto/track.dto';
import { UploadService } from './ingest/upload.service';
import { parseByteRange } from './preview/byte-range';
import { TracksService } from './tracks.service';
import type { IngestJobView, TrackPage, TrackView, UploadResult } from './views';

/** Content types a master may be sent with (the content itself decides; these only rule out forms and JSON). */
const AUDIO_TYPES = /^(audio\/[\w.+-]+|application\/octet-stream)(;.*)?$/i;

@ApiTags('catalogue')
@Controller('tracks')
export class TracksController {
  constructor(
    private readonly tracks: TracksService,
    private readonly uploads: UploadService,
  ) {}

  /**
   * Uploads a master (MP3 >= 128 kbps, FLAC or WAV) as the raw request body. 201 with the new track and its queued
   * ingest job; 200 with the existing track when the same content was uploaded before.
   */
  @Post()
  @Access({ roles: MANAGE_TRACKS, scope: 'tenant' })
  @ApiConsumes('audio/mpeg', 'audio/flac', 'audio/wav', 'application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Query() query: UploadTrackQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<UploadResult> {
    const type = request.headers['content-type'] ?? '';
    if (!AUDIO_TYPES.test(type)) {
      throw new AppError(
        ErrorCode.UnsupportedMediaType,
        `send the master itself as the request body with Content-Type audio/mpeg, audio/flac or audio/wav (got ${type || 'none'})`,
      );
    }
    const owner = await this.uploads.ownerFor(principal, query.organisationId);
    const length = request.headers['content-length'];
    // Streamed straight from the socket (no parser reads audio types); should one ever claim them, take what it read.
    const parsed: unknown = request.body;
    const body = Buffer.isBuffer(parsed) ? Readable.from([parsed]) : request.raw;
    const result = await this.uploads.upload(
      owner,
      { body, declaredBytes: length ? Number(length) : undefined, filename: query.filename },
      principal,
    );
    response.code(result.duplicate ? 200 : 201);
    return result;
  }

  /** Searches the catalogue the caller may see. */
  @Get()
  @Access({ roles: SEE_TRACKS, scope: 'tenant' })
  search(@CurrentPrincipal() principal: Principal, @Query() query: SearchTracksQuery): Promise<TrackPage> {
    return this.tracks.search(principal, query);
  }

  @Get(':id')
  @Access({ roles: SEE_TRACKS, scope: 'track' })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TrackView> {
    return this.tracks.get(id);
  }

  /** The track's latest ingest job: state, progress, and the reason when it failed. */
  @Get(':id/ingest')
  @Access({ roles: SEE_TRACKS, scope: 'track' })
  ingest(@Param('id', ParseUUIDPipe) id: string): Promise<IngestJobView> {
    return this.tracks.ingestJob(id);
  }

  /** Corrects metadata (title, artist, album, label, year, ISRC, genre, mood, BPM, explicit). */
  @Patch(':id')
  @HttpCode(200)
  @Access({ roles: MANAGE_TRACKS, scope: 'track' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateTrackDto,
  ): Promise<TrackView> {
    return this.tracks.update(principal, id, dto);
  }

  /** Streams the low-quality preview (MP3) with HTTP Range support, for auditioning in the browser. */
  @Get(':id/preview')
  @Access({ roles: SEE_TRACKS, scope: 'track' })
  @ApiProduces('audio/mpeg')
  async preview(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.tracks.previewFile(id);
    const range = parseByteRange(request.headers.range, file.size);
    const response = reply.raw;
    response.setHeader('Accept-Ranges', 'bytes');
    if (range === 'unsatisfiable') {
      response.setHeader('Content-Range', `bytes */${file.size}`);
      throw new AppError(
        ErrorCode.RangeNotSatisfiable,
        `the requested range is outside the ${file.size}-byte preview; ask for bytes 0-${file.size - 1}`,
      );
    }
    response.setHeader('Content-Type', 'audio/mpeg');
    response.setHeader('Cache-Control', 'private, max-age=3600');
    const { start, end } = range ?? { start: 0, end: file.size - 1 };
    reply.hijack();
    response.statusCode = range ? 206 : 200;
    if (range) response.setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
    response.setHeader('Content-Length', String(end - start + 1));
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    await pipeline(createReadStream(file.path, { start, end }), response);
  }
}
