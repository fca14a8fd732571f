import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CallError, type CoreClient } from '../context';
import { checkEntryName } from '../import/sources';

// The browser host: the built renderer and the contract over HTTP, on 127.0.0.1 only, a random
// port and a per-run token. It exists so the real UI runs against the real core without Electron
// (end-to-end tests in Chromium, machines where Electron's binary cannot be installed).
//   POST /api/<method>        body = input JSON → {ok, result} | {ok:false, error}
//   GET  /api/events          server-sent core events (import progress)
//   POST /api/stage           → {stageId, path}: a temporary folder for files picked in the browser
//   PUT  /api/stage/<id>/<name>  body = the file's bytes
// Every /api request must carry the token (header x-dosedesk-token, or ?token= for the event stream).
// Calls arrive as transport 'ui' (access/paths.ts): a page names no path to write (minutes.export
// returns the PDF, which the page downloads) and reads only what was uploaded to a staging folder of
// this run; writes need a session once accounts exist (access/actor.ts).

export interface HostOptions {
  core: CoreClient;
  rendererDir: string;
  port?: number;
}

export interface Host {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function startHost(opts: HostOptions): Promise<Host> {
  const token = randomBytes(24).toString('hex');
  const tokenBuf = Buffer.from(token);
  const stageRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dosedesk-stage-'));
  const stages = new Map<string, string>();
  const eventClients = new Set<http.ServerResponse>();
  const unsubscribe = opts.core.onEvent((e) => {
    const data = `data: ${JSON.stringify(e)}\n\n`;
    for (const c of eventClients) c.write(data);
  });
  let port = 0;

  const authorized = (req: http.IncomingMessage, url: URL): boolean => {
    const given = Buffer.from(String(req.headers['x-dosedesk-token'] ?? url.searchParams.get('token') ?? ''));
    return given.length === tokenBuf.length && timingSafeEqual(given, tokenBuf);
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    // Only this machine's loopback name: refuses DNS-rebinding requests that carry another Host.
    if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) {
      res.writeHead(421).end('wrong host');
      return;
    }
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    try {
      if (url.pathname.startsWith('/api/')) {
        if (!authorized(req, url)) return sendJson(res, 401, { ok: false, error: { error: 'missing or wrong token', kind: 'invalid-input' } });
        const rest = url.pathname.slice(5);
        if (rest === 'events' && req.method === 'GET') {
          res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
          res.write(': connected\n\n');
          eventClients.add(res);
          req.on('close', () => eventClients.delete(res));
          return;
        }
        if (rest === 'stage' && req.method === 'POST') {
          const stageId = randomBytes(8).toString('hex');
          const dir = path.join(stageRoot, stageId);
          fs.mkdirSync(dir, { mode: 0o700 });
          stages.set(stageId, dir);
          // What the user uploaded is the only thing a page may have the core read (access/paths.ts).
          opts.core.allowRead(dir, true);
          return sendJson(res, 200, { ok: true, result: { stageId, path: dir } });
        }
        const stageMatch = /^stage\/([0-9a-f]{16})\/(.+)$/.exec(rest);
        if (stageMatch && req.method === 'PUT') {
          const dir = stages.get(stageMatch[1]!);
          if (!dir) return sendJson(res, 404, { ok: false, error: { error: 'no such staging folder', kind: 'not-found' } });
          const name = decodeURIComponent(stageMatch[2]!);
          checkEntryName('upload', name);
          const dest = path.join(dir, name);
          fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
          // Uploaded study data: readable by this user only, like the database.
          await new Promise<void>((resolve, reject) => req.pipe(fs.createWriteStream(dest, { mode: 0o600 })).on('finish', resolve).on('error', reject));
          // What to import: a .zip uploaded alone is the file; a folder picked in the page arrives as
          // "folder/…" and is imported as that folder, so that the snapshot is recorded by its own name.
          const top = name.replace(/\\/g, '/').split('/')[0]!;
          return sendJson(res, 200, { ok: true, result: { path: name === path.basename(name) ? (/\.zip$/i.test(name) ? dest : dir) : path.join(dir, top) } });
        }
        if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { error: 'use POST', kind: 'invalid-input' } });
        const body = await readBody(req, 10 << 20);
        let input: unknown;
        try {
          input = body.length ? JSON.parse(body) : {};
        } catch {
          return sendJson(res, 400, { ok: false, error: { error: 'body is not JSON', kind: 'invalid-input' } });
        }
        try {
          // The answer's JSON text as the core's thread wrote it, inside the envelope (no second stringify here).
          const json = await opts.core.callJson(decodeURIComponent(rest), input, 'ui');
          return sendJsonText(res, 200, `{"ok":true,"result":${json}}`);
        } catch (e) {
          if (e instanceof CallError) return sendJson(res, HTTP_STATUS[e.kind], { ok: false, error: e.toJSON() });
          console.error(e);
          return sendJson(res, 500, { ok: false, error: { error: (e as Error).message, kind: 'internal' } });
        }
      }
      return serveStatic(opts.rendererDir, url.pathname, res);
    } catch (e) {
      if (!res.headersSent) sendJson(res, 400, { ok: false, error: { error: (e as Error).message, kind: 'invalid-input' } });
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    close: async () => {
      unsubscribe();
      for (const c of eventClients) c.end();
      const closed = new Promise<void>((r) => server.close(() => r()));
      // An open page may re-open its event stream on a kept-alive socket as the old one ends; that
      // request would never finish and keep close() waiting: drop every socket.
      server.closeAllConnections();
      await closed;
      fs.rmSync(stageRoot, { recursive: true, force: true });
    },
  };
}

/** The HTTP status of each error kind (the page reads the kind from the body; the status is for logs and tools). */
const HTTP_STATUS: Record<CallError['kind'], number> = {
  'invalid-input': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  internal: 500,
};

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  sendJsonText(res, status, JSON.stringify(body));
}

function sendJsonText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > limit) {
        reject(new Error('request too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse): void {
  const rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  const file = path.resolve(root, '.' + rel);
  if (!file.startsWith(path.resolve(root) + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    fs.createReadStream(file).pipe(res);
  });
}
