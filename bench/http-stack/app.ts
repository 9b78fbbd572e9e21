// The HTTP framework's own cost, apart from the hub: one Nest 12 application with the hub's global middleware shape
// (request id in AsyncLocalStorage, a prom-client timer, an access-log finish listener, the global ValidationPipe,
// rawBody and a 2 MB JSON parser) on either adapter, or bare node:http as the floor. Started by stack.ts:
// `ADAPTER=express|fastify|bare PORT=0 node bench/run.js bench/http-stack/app.ts`; prints `LISTENING <port>`.
import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Module,
  Post,
  ValidationPipe,
  type INestApplication,
  type NestApplicationOptions,
} from '@nestjs/common';
import { NestFactory, type AbstractHttpAdapter } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Histogram, Registry } from 'prom-client';

const ADAPTER = process.env.ADAPTER ?? 'express';
const storage = new AsyncLocalStorage<{ requestId: string }>();
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const registry = new Registry();
const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'request time',
  labelNames: ['method', 'route', 'status'],
  registers: [registry],
});
let withoutContext = 0;

@Controller()
class ProbeController {
  @Get('health')
  health(): { status: string } {
    if (storage.getStore() === undefined) withoutContext += 1;
    return { status: 'ok' };
  }

  @Post('echo')
  @HttpCode(200)
  echo(@Body() body: Record<string, unknown>): { ok: boolean; n: number } {
    if (storage.getStore() === undefined) withoutContext += 1;
    return { ok: true, n: Object.keys(body ?? {}).length };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

type RawRequest = IncomingMessage & { requestId?: string; originalUrl?: string };
type Next = () => void;

/** The hub's three global middlewares in their raw-request form (Fastify runs app.use() middleware on raw objects). */
function requestId(req: RawRequest, res: ServerResponse, next: Next): void {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  req.requestId = id;
  storage.run({ requestId: id }, next);
}
function metrics(req: RawRequest, res: ServerResponse, next: Next): void {
  const end = httpDuration.startTimer();
  res.on('finish', () =>
    end({ method: req.method, route: (req.originalUrl ?? req.url ?? '').split('?')[0], status: res.statusCode }),
  );
  next();
}
function accessLog(req: RawRequest, res: ServerResponse, next: Next): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    // As the hub logs a successful probe: at debug, which is off; the record is still built.
    void { requestId: req.requestId, path: req.url, status: res.statusCode, ns: process.hrtime.bigint() - started };
  });
  next();
}

/** @nestjs/platform-express is no longer a dependency of the repository (the hub runs on Fastify): install it for this bench only. */
function expressAdapter(): AbstractHttpAdapter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional, see above
  const { ExpressAdapter } = require('@nestjs/platform-express') as {
    ExpressAdapter: new () => AbstractHttpAdapter;
  };
  return new ExpressAdapter();
}

async function nest(): Promise<number> {
  const options: NestApplicationOptions = { rawBody: true, bodyParser: false, logger: ['error', 'warn'] };
  const express = ADAPTER === 'express';
  const app: INestApplication = await NestFactory.create(
    ProbeModule,
    express ? expressAdapter() : new FastifyAdapter({ bodyLimit: 2 * 1024 * 1024 }),
    options,
  );
  const parsers = app as unknown as { useBodyParser(type: string, options: object): void };
  if (express) parsers.useBodyParser('json', { limit: '2mb' });
  else parsers.useBodyParser('application/json', { bodyLimit: 2 * 1024 * 1024 });
  app.use(requestId);
  app.use(metrics);
  app.use(accessLog);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  return ((app.getHttpServer() as http.Server).address() as AddressInfo).port;
}

/** The floor: node:http with the same replies and no middleware. */
function bare(): Promise<number> {
  const reply = (res: ServerResponse, value: unknown) => {
    const text = JSON.stringify(value);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return reply(res, { status: 'ok' });
    if (req.method !== 'POST' || req.url !== '/echo') return res.writeHead(404, { 'content-length': 0 }).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      reply(res, { ok: true, n: Object.keys(body).length });
    });
  });
  return new Promise((resolve) =>
    server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

async function main(): Promise<void> {
  const port = ADAPTER === 'bare' ? await bare() : await nest();
  process.stdout.write(`LISTENING ${port}\n`);
  process.on('SIGTERM', () => {
    if (withoutContext > 0) process.stderr.write(`${withoutContext} requests ran without their request id context\n`);
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
