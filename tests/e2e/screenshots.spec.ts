/**
 * Screenshots of the editor for docs/screenshots/ (1280×720). Opt-in: SCREENSHOTS=1 npx playwright test screenshots.
 */
import { expect, test } from './fixtures';

test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to refresh docs/screenshots');

const shot = (name: string) => `docs/screenshots/${name}.png`;

test('editor screenshots', async ({ editor, page }) => {
  test.setTimeout(540_000);
  await expect(editor.backend).toHaveAttribute('data-backend', /.+/, { timeout: 30_000 });
  await page.screenshot({ path: shot('editor-start') });

  await page.getByRole('searchbox', { name: 'Search nodes' }).fill('auto');
  await page.getByTestId('palette-autoencoder').hover();
  await page.screenshot({ path: shot('palette-search') });
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill('');

  await editor.connect(['residual', 'scores'], ['ae', 'train']);
  await expect(editor.notice).toBeVisible();
  await page.screenshot({ path: shot('refused-connection') });

  await editor.runButton.click();
  await expect(page.getByTestId('progress-ae')).toBeVisible({ timeout: 120_000 });
  await expect(editor.node('ae').getByTestId('preview-loss')).toBeVisible({ timeout: 120_000 });
  await page.screenshot({ path: shot('editor-training') });
  await expect(editor.node('roc')).toHaveAttribute('data-status', 'done', { timeout: 420_000 });
  await page.mouse.click(5, 300); // blur, so no hover tooltip covers the result
  await page.screenshot({ path: shot('editor') });

  await editor.selectNode('ae');
  await editor.param('epochs').fill('0');
  await page.screenshot({ path: shot('params-invalid') });
});
