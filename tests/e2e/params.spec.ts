import { expect, test } from './fixtures';

test('an edited parameter survives a reload', async ({ editor, page }) => {
  await editor.selectNode('ae');
  await editor.param('epochs').fill('3');
  await editor.param('channels').fill('4,8');
  await expect(editor.paramError('epochs')).toHaveCount(0);
  // Autosave is debounced; wait until it has written the new value.
  await expect.poll(() => editor.savedDraft()).toContain('"epochs":3');

  await page.reload();
  await expect(editor.node('ae')).toBeVisible();
  await editor.selectNode('ae');
  await expect(editor.param('epochs')).toHaveValue('3');
  await expect(editor.param('channels')).toHaveValue('4,8');
});

test('an invalid parameter shows an inline error and blocks Run', async ({ editor }) => {
  await editor.selectNode('ae');
  await editor.param('epochs').fill('0');
  await expect(editor.param('epochs')).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.paramError('epochs')).toBeVisible();
  await expect(editor.paramError('epochs')).toContainText(/>=\s*1|at least|too small/i);
  await expect(editor.node('ae')).toContainText('Invalid parameters');

  await editor.param('channels').fill('8,x');
  await expect(editor.paramError('channels')).toBeVisible();

  await editor.runButton.click();
  await expect(editor.notice).toContainText('Cannot run: fix the parameters of ae first.');
  await expect(editor.runStatus).toHaveAttribute('data-phase', 'idle');

  await editor.param('epochs').fill('2');
  await editor.param('channels').fill('8,16');
  await expect(editor.page.getByTestId('params-invalid')).toHaveCount(0);
});

test('enum params are selects and booleans are checkboxes', async ({ editor }) => {
  await editor.selectNode('test-data');
  await expect(editor.param('include')).toHaveValue('all');
  await editor.param('source').selectOption('folder');
  await expect(editor.page.getByRole('button', { name: /Choose folder/ }).or(editor.page.getByText('Choose folder…'))).toBeVisible();
  await expect(editor.param('grayscale')).toBeChecked();
});
