import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/** What HubClient needs from a transport: `fetch`'s shape, with a Buffer body. */
export type Transport = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: Buffer; signal?: AbortSignal },
) => Promise<Response>;

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 4 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 4 }),
};

/**
 * The appliance's HTTP transport: node:http(s) answering with a web `Response` whose body streams.
 *
 * Why not the global `fetch`: on Node 20 its abort wiring can be lost. undici makes the request's own signal follow
 * the caller's through a weak reference, and after a garbage collection an abort (a timeout's included) may never
 * reach the request (nodejs/undici#4068, nodejs/node#55428): a hub that stops answering then hangs the appliance
 * forever. Here the timeout is the socket's own and the caller's signal is wired by node:http itself, both held by
 * the request for as long as it lives.
 *
 * `idleTimeoutMs` bounds silence, not length: no byte for that long (waiting for the answer or inside its body)
 * destroys the request, so a slow but moving download of a large track is never cut off.
 */
export function nodeTransport(idleTimeoutMs: number): Transport {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const module = target.protocol === 'https:' ? https : http;
      const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
      const request = module.request(
        target,
        { method: init.method, headers: init.headers, agent, signal: init.signal },
        (response) => {
          const headers = new Headers();
          for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
            headers.append(response.rawHeaders[i], response.rawHeaders[i + 1]);
          }
          const status = response.statusCode ?? 0;
          const bodiless = init.method === 'HEAD' || status === 204 || status === 304;
          if (bodiless) response.resume();
          resolve(
            new Response(bodiless ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>), {
              status,
              statusText: response.statusMessage,
              headers,
            }),
          );
        },
      );
      request.setTimeout(idleTimeoutMs, () => {
        request.destroy(Object.assign(new Error(`no answer for ${idleTimeoutMs} ms`), { code: 'ETIMEDOUT' }));
      });
      request.on('error', reject);
      request.end(init.body);
    });
}
