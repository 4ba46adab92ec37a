/**
 * The browser's tRPC client for the storage server (/api/trpc), and one function that turns any failure into
 * a sentence plus field-by-field details for the notice bar.
 */
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../../server/routers/index';
import { t } from '../../_i18n/translate';

export const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: '/api/trpc' })] });

type ErrorData = { code?: string; issues?: { path: string; message: string }[] | null; conflict?: { headRevision: number } | null };

export type Failure = { text: string; details: string[]; code?: string; conflictHead?: number };

/** `doing` is already worded in the UI language (e.g. t('storage.doing.save')). */
export function describeFailure(err: unknown, doing: string): Failure {
  if (err instanceof TRPCClientError) {
    const data = (err.data ?? {}) as ErrorData;
    return {
      text: t('storage.failed', { doing, reason: err.message }),
      details: (data.issues ?? []).map((i) => `${i.path}: ${i.message}`),
      code: data.code,
      conflictHead: data.conflict?.headRevision,
    };
  }
  return { text: t('storage.failedOffline', { doing, reason: err instanceof Error ? err.message : String(err) }), details: [] };
}
