import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';

const fixture = (name: string) => fileURLToPath(new URL(`./pipelines/${name}`, import.meta.url));

test('importing an invalid file lists its problems and changes nothing', async ({ editor, page }) => {
  const nodesBefore = await page.locator('.react-flow__node').count();
  await page.getByTestId('import-input').setInputFiles(fixture('not-a-pipeline.json'));
  await expect(editor.notice).toContainText('is not a valid Kizuki pipeline. Nothing was changed.');
  await expect(editor.notice).toContainText('name');
  await expect(editor.notice).toContainText('edges');
  await expect(page.locator('.react-flow__node')).toHaveCount(nodesBefore);

  await page.getByTestId('import-input').setInputFiles({ name: 'garbage.json', mimeType: 'application/json', buffer: Buffer.from('{ nope') });
  await expect(editor.notice).toContainText('garbage.json is not JSON');
  await expect(page.locator('.react-flow__node')).toHaveCount(nodesBefore);
});

test('importing a pipeline with a mistyped edge drops the edge and says so', async ({ editor, page }) => {
  await page.getByTestId('import-input').setInputFiles(fixture('bad-edge-type.json'));
  await page.getByTestId('confirm-replace').click();
  await expect(editor.node('data')).toBeVisible();
  await expect(editor.node('roc')).toBeVisible();
  await expect(editor.edges()).toHaveCount(0);
  await expect(editor.notice).toContainText('was dropped');
});

test('export downloads the document as JSON', async ({ editor, page }) => {
  await expect(editor.node('roc')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  expect(download.suggestedFilename()).toMatch(/\.kizuki\.json$/);
  const text = await (await download.createReadStream()).toArray();
  const doc = JSON.parse(Buffer.concat(text).toString('utf8'));
  expect(doc.format).toBe('kizuki.pipeline');
  expect(doc.nodes.map((n: { id: string }) => n.id)).toContain('roc');
});

test('New asks before replacing, and a template can be reopened', async ({ editor, page }) => {
  await page.getByTestId('new-doc').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(editor.node('roc')).toBeVisible();
  await editor.newEmpty();
  await editor.openTemplate('lecture-ae-residual');
  await expect(editor.node('roc')).toBeVisible();
  await expect(editor.edges()).toHaveCount(5);
});
