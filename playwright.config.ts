/**
 * Browser tests against the production server. Build first (`npm run build`; CI's script does this),
 * then `npm run e2e`. Locally an already running server on E2E_PORT is reused.
 *
 * Projects:
 * - chromium: forces the TF.js cpu backend via ?backend=cpu; the one CI gates on.
 * - chromium-webgpu: opt-in (E2E_WEBGPU=1); expects data-backend="webgpu" and skips with a reason when the
 *   browser has no WebGPU adapter — missing support is never counted as a pass.
 */
import { defineConfig } from '@playwright/test';
import type { EditorOptions } from './tests/e2e/fixtures';

const PORT = Number(process.env.E2E_PORT ?? 3123);
const baseURL = `http://127.0.0.1:${PORT}`;
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig<EditorOptions>({
  testDir: 'tests/e2e',
  // Training runs take most of the 2 CPU cores; run one test at a time.
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL,
    viewport: { width: 1280, height: 720 },
    // The UI follows the browser language (ja* ⇒ Japanese); the specs read English unless they switch.
    locale: 'en-US',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
  },
  projects: [
    { name: 'chromium', use: { backend: 'cpu' } },
    ...(process.env.E2E_WEBGPU
      ? [
          {
            name: 'chromium-webgpu',
            use: {
              backend: 'webgpu' as const,
              launchOptions: {
                executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
                args: [...chromiumArgs.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-webgpu', '--enable-features=Vulkan'],
              },
            },
          },
        ]
      : []),
  ],
  webServer: {
    command: 'npm run start',
    env: { PORT: String(PORT), NEXT_TELEMETRY_DISABLED: '1' },
    url: baseURL,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
