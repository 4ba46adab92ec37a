// Next.js config (ESM: package.json has "type": "module").
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The app never talks to a server of ours for fonts or analytics; keep builds offline-friendly.
  poweredByHeader: false,
};

export default nextConfig;
