/**
 * Next.js start-up hook: opens (creates and migrates) the database when the server starts, so a broken
 * KIZUKI_DB path fails at start rather than at the first save. Not run by `next build`.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getDb, databasePath } = await import('./server/db/open');
  getDb();
  console.log(`Kizuki database: ${databasePath()}`);
}
