/** tRPC over HTTP for the editor: pipelines, history, share links, templates (server/routers). */
import { handleTrpc } from '../../../../server/http';

// The database is opened per request on first use, never while `next build` collects routes.
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const handler = (req: Request) => handleTrpc(req);
export { handler as GET, handler as POST };
