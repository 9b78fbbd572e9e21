import { Public } from '../auth/access/access.decorator';
import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HealthService, type Readiness } from './health.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: the process is up and serving HTTP. */
  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'The process is up.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the database answers, the data directory is writable and has free space, and we are not draining. */
  @Get('ready')
  @ApiOkResponse({ description: 'Ready to serve.' })
  @ApiServiceUnavailableResponse({ description: 'Not ready; `checks` says which check failed.' })
  async ready(@Res({ passthrough: true }) res: FastifyReply): Promise<Readiness> {
    const readiness = await this.health.readiness();
    res.code(readiness.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return readiness;
  }
}
