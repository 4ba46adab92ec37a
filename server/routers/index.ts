/** The app's tRPC router: pipelines (with history), sharing links, published templates. */
import { router } from '../trpc';
import { pipelinesRouter } from './pipelines';
import { shareRouter } from './share';
import { templatesRouter } from './templates';

export const appRouter = router({
  pipelines: pipelinesRouter,
  share: shareRouter,
  templates: templatesRouter,
});

export type AppRouter = typeof appRouter;
