import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ACCESS_RULE } from '../../../../hub/src/auth/access/access.decorator';
import type { AccessRule } from '../../../../hub/src/auth/access/access-rule';

/** One endpoint the hub serves, with the access rule it declares (undefined when it declares none). */
export interface Endpoint {
  method: string;
  path: string;
  controller: string;
  handler: string;
  rule: AccessRule | undefined;
}

function join(...parts: string[]): string {
  const path = parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p.length > 0)
    .join('/');
  return `/${path}`;
}

function paths(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : '/'];
}

/**
 * Every endpoint of every controller Nest registered, read from Nest's own module container (so a controller added
 * anywhere in the app is found), with the @Access rule on the handler or, failing that, on the controller.
 */
export function nestEndpoints(app: INestApplication): Endpoint[] {
  const scanner = new MetadataScanner();
  const endpoints: Endpoint[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: unknown[]) => object) | undefined;
      if (!type) continue;
      const base = paths(Reflect.getMetadata(PATH_METADATA, type));
      for (const name of scanner.getAllMethodNames(type.prototype as object)) {
        const handler = (type.prototype as Record<string, unknown>)[name] as object;
        const methodPath: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (methodPath === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const rule = (Reflect.getMetadata(ACCESS_RULE, handler) ?? Reflect.getMetadata(ACCESS_RULE, type)) as
          AccessRule | undefined;
        for (const b of base) {
          for (const p of paths(methodPath)) {
            endpoints.push({ method, path: join(b, p), controller: type.name, handler: name, rule });
          }
        }
      }
    }
  }
  return endpoints.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** "METHOD /path" of every route the Express router actually serves, to prove the Nest scan missed none. */
export function expressRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: ExpressLayer[] } };
  const stack = express.router?.stack ?? [];
  return stack
    .filter((layer) => layer.route !== undefined)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${layer.route!.path}`),
    )
    .sort();
}
