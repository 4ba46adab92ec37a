/**
 * Switching the UI to Japanese: toolbar, palette, a node card, the parameter form (names, help, options, zod's
 * inline errors) and a node's run error all change language; the choice survives a reload; switching back
 * restores English. Also: a Japanese browser opens in Japanese.
 */
import { expect, test } from './fixtures';

test('switch to 日本語, reload, switch back to English', async ({ editor, page }) => {
  const html = page.locator('html');
  await expect(html).toHaveAttribute('lang', 'en');
  await expect(editor.runButton).toHaveText('▶ Run');

  await page.getByTestId('lang-ja').click();
  await expect(html).toHaveAttribute('lang', 'ja');
  await expect(page.getByTestId('lang-ja')).toHaveAttribute('aria-pressed', 'true');

  // Toolbar and engine bar.
  await expect(editor.runButton).toHaveText('▶ 実行');
  await expect(page.getByTestId('new-doc')).toHaveText('新規');
  await expect(editor.runStatus).toHaveText('準備完了');
  await expect(page.getByTestId('clear-cache')).toHaveText('キャッシュを消去');
  // The engine's own sentence (why this backend: "requested (cpu)"), re-worded at display time.
  await expect(page.getByTestId('backend')).toContainText('指定どおり（cpu）');

  // Storage bar and its Save dialog.
  await expect(page.getByTestId('save')).toHaveText('保存…');
  await expect(page.getByTestId('open-pipelines')).toHaveText('開く…');
  await expect(page.getByTestId('history')).toHaveText('履歴');
  await expect(page.getByTestId('gallery')).toHaveText('ギャラリー');
  await expect(page.getByTestId('save-status')).toHaveText('サーバーに未保存');
  await page.getByTestId('save').click();
  const saveDialog = page.getByTestId('save-dialog');
  await expect(saveDialog.getByRole('heading')).toHaveText('サーバーに保存');
  await expect(page.getByTestId('save-message')).toHaveAttribute('placeholder', '例: エポック数を増やした');
  await expect(page.getByTestId('save-confirm')).toHaveText('保存');
  await page.getByTestId('save-dialog-close').click();
  await expect(saveDialog).toHaveCount(0);

  // The Results menu: toggle, items and their tooltips (nothing has run yet).
  await expect(page.getByTestId('results-toggle')).toHaveText('結果 ▾');
  await page.getByTestId('results-toggle').click();
  await expect(page.getByTestId('download-report')).toHaveText('HTML レポート');
  await expect(page.getByTestId('download-report')).toHaveAttribute('title', '先にパイプラインを実行してください');
  await expect(page.getByTestId('download-scores')).toHaveText('スコア（CSV）');
  await expect(page.getByTestId('open-plots')).toHaveText('グラフ（SVG/PNG）…');
  await expect(page.getByTestId('download-detector')).toHaveText('学習済み検出器（zip）');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('download-report')).toHaveCount(0);

  // Palette: categories, entries, search (Japanese and English words both find nodes).
  const palette = page.getByTestId('palette');
  await expect(palette.getByRole('heading', { name: 'モデル' })).toBeVisible();
  await expect(page.getByTestId('palette-threshold')).toHaveText('閾値');
  await expect(page.getByTestId('palette-latent-distance')).toHaveAttribute('title', /潜在表現/);
  const search = page.getByRole('searchbox', { name: 'ノードを検索' });
  await search.fill('再構成');
  await expect(page.getByTestId('palette-reconstruct')).toBeVisible();
  await expect(page.getByTestId('palette-roc')).toHaveCount(0);
  await search.fill('autoencoder');
  await expect(page.getByTestId('palette-autoencoder')).toBeVisible();
  await search.fill('');

  // A node card: title, ports, status badge.
  await expect(editor.node('ae')).toContainText('AutoEncoder');
  await expect(editor.node('ae')).toContainText('学習用（正常）');
  await expect(editor.node('ae')).toContainText('潜在表現');
  await expect(page.getByTestId('status-ae')).toHaveText('待機');
  await expect(editor.handle('ae', 'train')).toHaveAttribute('aria-label', '入力 学習用（正常）（画像セット）');

  // The parameter form: heading, Japanese names with the key beside them, help, enum options, zod's errors.
  await editor.selectNode('ae');
  const form = page.getByTestId('param-form');
  await expect(form).toContainText('正常画像だけで学習する');
  await expect(form.locator('label[for="param-learningRate"]')).toContainText('学習率');
  await expect(form.locator('label[for="param-learningRate"]')).toContainText('learningRate');
  await expect(form).toContainText('Adam の学習率');
  await expect(editor.param('loss').locator('option[value="mse"]')).toHaveText('平均二乗誤差（mse）');
  await editor.param('epochs').fill('0');
  await expect(editor.paramError('epochs')).toBeVisible();
  await expect(editor.paramError('epochs')).toContainText(/[\u3040-\u30ff\u4e00-\u9fff]/);
  await expect(page.getByTestId('params-invalid')).toHaveText('実行する前に 1 件の値を直してください。');
  await expect(editor.node('ae')).toContainText('パラメータが不正です');
  await editor.param('epochs').fill('2');
  await expect(page.getByTestId('params-invalid')).toHaveCount(0);

  // A node error from the engine, worded from its code: an unconnected ROC input.
  await editor.dropFromPalette('roc', { x: 200, y: 480 });
  await expect(editor.node('roc-1')).toBeVisible();
  await expect(editor.node('roc-1')).toContainText('ROC 評価');
  await editor.runButton.click();
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'invalid');
  const error = page.getByTestId('error-roc-1');
  await expect(error).toContainText('ノード "roc-1": 入力 "scores" が接続されていません。');
  await expect(error).toContainText('正しい型の出力をこの入力に接続してください。');
  await expect(editor.notice).toContainText('このパイプラインはまだ実行できません');
  await expect(editor.runStatus).toContainText('実行できません');

  // Reload: still Japanese (remembered), and the document with it.
  await expect.poll(() => page.evaluate(() => window.localStorage.getItem('kizuki.lang'))).toBe('ja');
  await expect.poll(() => editor.savedDraft()).toContain('"roc-1"'); // the draft is saved (debounced) before reloading
  await page.reload();
  await expect(editor.node('roc-1')).toBeVisible();
  await expect(html).toHaveAttribute('lang', 'ja');
  await expect(editor.runButton).toHaveText('▶ 実行');
  await expect(page.getByTestId('palette-threshold')).toHaveText('閾値');

  // Switch back: English everywhere, also the error already shown on the node.
  await editor.runButton.click();
  await expect(page.getByTestId('error-roc-1')).toContainText('が接続されていません');
  await page.getByTestId('lang-en').click();
  await expect(html).toHaveAttribute('lang', 'en');
  await expect(editor.runButton).toHaveText('▶ Run');
  await expect(page.getByTestId('palette-threshold')).toHaveText('Threshold');
  await expect(page.getByTestId('error-roc-1')).toContainText('not connected');
  await editor.selectNode('ae');
  const lrLabel = page.getByTestId('param-form').locator('label[for="param-learningRate"]');
  await expect(lrLabel).toContainText('learningRate');
  await expect(lrLabel).not.toContainText('学習率');
  await expect(page.getByTestId('param-form')).toContainText('Adam learning rate');
  await expect.poll(() => page.evaluate(() => window.localStorage.getItem('kizuki.lang'))).toBe('en');
});

test.describe('a Japanese browser', () => {
  test.use({ locale: 'ja-JP' });
  test('opens in Japanese when nothing was chosen yet', async ({ editor, page }) => {
    await expect(editor.runButton).toHaveText('▶ 実行');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.getByRole('button', { name: '拡大' })).toBeVisible();
  });
});
