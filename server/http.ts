/**
 * The one HTTP entry to the routers, used by the Next route (app/api/trpc/[trpc]/route.ts) and by the
 * stand-alone server (server/serve.ts): caps the request body, names the client for the write limit, and
 * hands the request to tRPC's fetch adapter.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getDb } from './db/open';
import { rateLimiterFromEnv, type RateLimiter } from './rate-limit';
import { appRouter } from './routers/index';

/** Largest request body accepted (a pipeline document is a few kB; 2 MB leaves ample room). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

let limiter: RateLimiter | null = null;

function tooLarge(): Response {
  return Response.json(
    { error: { message: `Request too large: at most ${MAX_BODY_BYTES / 1024 / 1024} MB.`, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } } },
    { status: 413 },
  );
}

export async function handleTrpc(req: Request, endpoint = '/api/trpc'): Promise<Response> {
  limiter ??= rateLimiterFromEnv();
  let body: ArrayBuffer | undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return tooLarge();
    // Content-Length may be absent (chunked): count what actually arrives.
    body = await req.arrayBuffer();
    if (body.byteLength > MAX_BODY_BYTES) return tooLarge();
  }
  const inner = new Request(req.url, { method: req.method, headers: req.headers, body });
  const clientId = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || req.headers.get('x-real-ip') || 'local';
  const rl = limiter;
  return fetchRequestHandler({
    endpoint,
    req: inner,
    router: appRouter,
    createContext: () => ({ db: getDb, clientId, limiter: rl }),
  });
}
