// Next.js config (ESM: package.json has "type": "module").
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typescript: {
    // `next build` type-checks the whole repo. KIZUKI_SKIP_TYPECHECK=1 skips that when `tsc --noEmit` already
    // ran (CI) or when unrelated files outside app/ are mid-edit.
    ignoreBuildErrors: process.env.KIZUKI_SKIP_TYPECHECK === '1',
  },
  turbopack: {
    // The DICOM codecs' emscripten glue (@cornerstonejs/codec-openjpeg, codec-charls) calls require("fs") and
    // require("path") on its Node code path; browser bundles get an empty module instead (that path never runs there).
    resolveAlias: {
      fs: { browser: './workers/engine/empty-module.ts' },
      path: { browser: './workers/engine/empty-module.ts' },
    },
  },
};

export default nextConfig;
