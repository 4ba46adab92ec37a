/**
 * tRPC setup: the request context (database, client id, write limiter), an error formatter that passes
 * field issues and conflicts to the client, and the two procedure kinds: reads and rate-limited writes.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import type { Db } from './db/open';
import { ConflictError, issuesOf } from './errors';
import type { RateLimiter } from './rate-limit';

export type Context = {
  /** Opened lazily so a request that fails validation never touches the disk. */
  db: () => Db;
  /** Who the write limit counts against (the client's IP address). */
  clientId: string;
  limiter: RateLimiter;
};

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        // Never leak stack traces from the production server.
        stack: process.env.NODE_ENV === 'production' ? undefined : shape.data.stack,
        issues: issuesOf(error.cause) ?? null,
        conflict: error.cause instanceof ConflictError ? { headRevision: error.cause.headRevision } : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const readProcedure = t.procedure;
export const writeProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.limiter.take(ctx.clientId)) {
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Too many saves in a short time; wait a minute and try again.' });
  }
  return next();
});
