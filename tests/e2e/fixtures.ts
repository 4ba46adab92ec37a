/**
 * Page object for the editor plus the `editor` fixture. Each test gets a fresh browser context, so
 * localStorage and IndexedDB are empty and the editor opens the default template.
 */
import { expect, type Locator, type Page, test as base } from '@playwright/test';

export type EditorOptions = { backend: 'cpu' | 'webgpu' | 'webgl' | 'wasm' };

export class EditorPage {
  readonly canvas: Locator;
  readonly notice: Locator;
  readonly backend: Locator;
  readonly runButton: Locator;
  readonly runStatus: Locator;

  constructor(
    readonly page: Page,
    readonly backendName: EditorOptions['backend'],
  ) {
    this.canvas = page.getByTestId('canvas');
    this.notice = page.getByTestId('notice');
    this.backend = page.getByTestId('backend');
    this.runButton = page.getByTestId('run');
    this.runStatus = page.getByTestId('run-status');
  }

  async goto() {
    await this.page.goto(`/?backend=${this.backendName}`);
    await expect(this.canvas).toBeVisible();
    await expect(this.page.locator('.react-flow__node').first()).toBeVisible();
  }

  node(id: string): Locator {
    return this.page.getByTestId(`node-${id}`);
  }

  handle(nodeId: string, port: string): Locator {
    return this.page.getByTestId(`handle-${nodeId}-${port}`);
  }

  edge(id: string): Locator {
    return this.page.getByTestId(`rf__edge-${id}`);
  }

  edges(): Locator {
    return this.page.locator('.react-flow__edge');
  }

  param(name: string): Locator {
    return this.page.getByTestId(`param-${name}`);
  }

  paramError(name: string): Locator {
    return this.page.getByTestId(`param-error-${name}`);
  }

  /** Drag a node type from the palette and drop it at a point of the canvas. */
  async dropFromPalette(type: string, at: { x: number; y: number }) {
    await this.page.getByTestId(`palette-${type}`).dragTo(this.canvas, { targetPosition: at });
  }

  /** Drag from one handle to another, as a user wiring two ports. */
  async connect(from: [string, string], to: [string, string]) {
    const source = this.handle(...from);
    const target = this.handle(...to);
    await source.hover();
    await this.page.mouse.down();
    const box = await target.boundingBox();
    if (!box) throw new Error(`handle ${to.join('.')} is not visible`);
    // Move in steps so React Flow sees the pointer travel and snaps to the target handle.
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
    await target.hover();
    await this.page.mouse.up();
  }

  /** The local draft (IndexedDB) as JSON text, '' when none is stored yet. */
  async savedDraft(): Promise<string> {
    return this.page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const open = indexedDB.open('kizuki', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('drafts');
          open.onsuccess = () => {
            const req = open.result.transaction('drafts').objectStore('drafts').get('current');
            req.onsuccess = () => resolve(req.result ? JSON.stringify(req.result.doc) : '');
            req.onerror = () => resolve('');
          };
          open.onerror = () => resolve('');
        }),
    );
  }

  async selectNode(id: string) {
    await this.node(id).locator('.gn-title').click();
    await expect(this.page.getByTestId('param-form')).toBeVisible();
  }

  async openTemplate(id: string) {
    await this.page.getByTestId('template-select').selectOption(id);
    const confirm = this.page.getByTestId('confirm-replace');
    if (await confirm.isVisible()) await confirm.click();
  }

  async newEmpty() {
    await this.page.getByTestId('new-doc').click();
    await this.page.getByTestId('confirm-replace').click();
    await expect(this.page.locator('.react-flow__node')).toHaveCount(0);
  }
}

export const test = base.extend<EditorOptions & { editor: EditorPage }>({
  backend: ['cpu', { option: true }],
  editor: async ({ page, backend }, use) => {
    const editor = new EditorPage(page, backend);
    await editor.goto();
    await use(editor);
  },
});

export { expect };
