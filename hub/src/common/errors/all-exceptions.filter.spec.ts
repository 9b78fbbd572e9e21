import { Body, Controller, Get, Module, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsEmail, IsInt, Min } from 'class-validator';
import request from 'supertest';
import { QueryFailedError } from 'typeorm';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHubAdapter } from '../../app.factory';
import { currentRequestId, enterRequestContext } from '../http/request-context';
import { JsonLogger } from '../logging/json-logger';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { AppError } from './app-error';
import { ErrorCode } from './error-code';
import { httpStatusFor } from './http-status';
import { createValidationPipe } from './validation';

class CreateThingDto {
  @IsEmail()
  email!: string;

  @IsInt()
  @Min(1)
  count!: number;
}

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() dto: CreateThingDto): CreateThingDto {
    return dto;
  }

  /** What the code behind a parsed body sees as its request: the async context must survive body parsing. */
  @Post('context')
  context(@Body() body: unknown): { requestId: string | undefined; body: unknown } {
    return { requestId: currentRequestId(), body };
  }

  @Get('missing')
  missing(): never {
    throw AppError.notFound('thing 42');
  }

  @Get('duplicate')
  duplicate(): never {
    const driverError = Object.assign(new Error('UNIQUE constraint failed: users.email'), {
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    throw new QueryFailedError('INSERT INTO users ...', [], driverError);
  }

  @Get('broken')
  broken(): never {
    throw new Error('database password is hunter2');
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('AllExceptionsFilter + validation pipe', () => {
  let app: INestApplication;
  const logged: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ThingsModule] }).compile();
    const logger = new JsonLogger('info', (l) => logged.push(JSON.parse(l) as Record<string, unknown>));
    const fastifyApp = moduleRef.createNestApplication<NestFastifyApplication>(createHubAdapter(), { logger });
    fastifyApp.getHttpAdapter().getInstance().addHook('onRequest', enterRequestContext);
    app = fastifyApp;
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new AllExceptionsFilter(logger));
    await app.init();
    await fastifyApp.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('an AppError keeps its code, message and status', async () => {
    const res = await request(app.getHttpServer()).get('/things/missing').set('X-Request-Id', 'req-1').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'thing 42 was not found; check the id',
      requestId: 'req-1',
    });
    expect(res.headers['x-request-id']).toBe('req-1');
  });

  it('bad input is a 400 listing each bad field', async () => {
    const res = await request(app.getHttpServer())
      .post('/things')
      .send({ email: 'not-an-email', count: 0, extra: true })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.message).toBe('invalid input in: extra, email, count; correct these fields and retry');
    expect(res.body.details.fields).toEqual([
      { field: 'extra', problems: ['property extra should not exist'] },
      { field: 'email', problems: ['email must be an email'] },
      { field: 'count', problems: ['count must not be less than 1'] },
    ]);
  });

  it('an unknown error is a plain 500 with the correlation id, logged with the stack under that id', async () => {
    const res = await request(app.getHttpServer()).get('/things/broken').set('X-Request-Id', 'corr-7').expect(500);
    expect(res.body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'internal error; report request id corr-7 to the operator',
      requestId: 'corr-7',
    });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    const record = logged.find((r) => r.requestId === 'corr-7' && r.level === 'error');
    expect(record).toMatchObject({ msg: 'request failed', path: '/things/broken' });
    expect(String(record?.stack)).toContain('Error: database password is hunter2');
  });

  it('a unique index violation (a race past a service check) is a 409 CONFLICT, not a 500', async () => {
    const res = await request(app.getHttpServer()).get('/things/duplicate').expect(409);
    expect(res.body.code).toBe('CONFLICT');
    expect(res.body.message).not.toContain('users.email');
  });

  it('unknown routes and malformed JSON keep their HTTP status with a code', async () => {
    const notFound = await request(app.getHttpServer()).get('/nowhere').expect(404);
    expect(notFound.body.code).toBe('NOT_FOUND');
    const malformed = await request(app.getHttpServer())
      .post('/things')
      .set('Content-Type', 'application/json')
      .send('{"email":')
      .expect(400);
    expect(malformed.body.code).toBe('BAD_REQUEST');
  });

  it("a handler behind a parsed JSON body runs in its request's context", async () => {
    const big = { items: Array.from({ length: 2000 }, (_, i) => ({ i, text: 'x'.repeat(40) })) };
    const res = await request(app.getHttpServer())
      .post('/things/context')
      .set('X-Request-Id', 'ctx-42')
      .send(big)
      .expect(201);
    expect(res.body.requestId).toBe('ctx-42');
    expect(res.body.body.items).toHaveLength(2000);
  });

  it('an unsafe X-Request-Id is replaced by a generated one', async () => {
    const res = await request(app.getHttpServer()).get('/things/missing').set('X-Request-Id', 'a b<script>');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });
});

describe('httpStatusFor', () => {
  it('maps every code to a 4xx or 5xx status', () => {
    for (const code of Object.values(ErrorCode)) {
      const status = httpStatusFor(code);
      expect(Number(status)).toBeGreaterThanOrEqual(400);
      expect(Number(status)).toBeLessThan(600);
    }
  });
});
