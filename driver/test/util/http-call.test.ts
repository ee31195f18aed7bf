import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { HttpCallError, httpCall } from '../../src/util/http-call';

describe('httpCall (Node client, no HTTP library)', () => {
  let server: http.Server;
  let base: string;
  const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (req.url === '/hang') return; // never answers
        if (req.url === '/redirect') {
          res.writeHead(302, { Location: '/elsewhere' }).end();
          return;
        }
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.writeHead(201, { 'X-Subject-Token': 'tok', 'Content-Type': 'application/json' }).end('{"ü":1}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test('sends method, headers and body with its length; answers status, lower-case headers and UTF-8 text', async () => {
    const reply = await httpCall({ method: 'POST', url: `${base}/x`, headers: { 'X-Auth-Token': 't' }, body: '{"é":2}', timeoutMs: 5000 });
    expect(reply.status).toBe(201);
    expect(reply.text).toBe('{"ü":1}');
    expect(reply.headers['x-subject-token']).toBe('tok');
    expect(reply.headers['set-cookie']).toBe('a=1, b=2');
    const last = seen[seen.length - 1];
    expect([last.method, last.body, last.headers['x-auth-token'], last.headers['content-length']]).toEqual(['POST', '{"é":2}', 't', '8']);
  });

  test('does not follow a redirect', async () => {
    const reply = await httpCall({ method: 'GET', url: `${base}/redirect`, timeoutMs: 5000 });
    expect([reply.status, reply.headers.location]).toEqual([302, '/elsewhere']);
  });

  test('no answer within timeoutMs rejects with ETIMEDOUT', async () => {
    const error = await httpCall({ method: 'GET', url: `${base}/hang`, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpCallError);
    expect((error as HttpCallError).code).toBe('ETIMEDOUT');
  });

  test('the signal aborts an exchange under way (ABORT_ERR), and one already aborted is never sent', async () => {
    const controller = new AbortController();
    const pending = httpCall({ method: 'GET', url: `${base}/hang`, timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORT_ERR' });
    const before = seen.length;
    await expect(httpCall({ method: 'GET', url: `${base}/x`, timeoutMs: 5000, signal: controller.signal })).rejects.toMatchObject({ code: 'ABORT_ERR' });
    expect(seen.length).toBe(before);
  });

  test('a refused connection carries Node\'s code; a bad URL or protocol is refused before sending', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(httpCall({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 5000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(httpCall({ method: 'GET', url: 'not a url', timeoutMs: 5000 })).rejects.toMatchObject({ code: 'ERR_INVALID_URL' });
    await expect(httpCall({ method: 'GET', url: 'ftp://127.0.0.1/', timeoutMs: 5000 })).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED_PROTOCOL' });
  });
});
