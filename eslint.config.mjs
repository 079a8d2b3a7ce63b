import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "src/generated/**",
      "prisma/seed/templates/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through `env` from ~/env (src/env.ts)." },
      ],
    },
  },
  {
    // Playwright fixtures call their continuation `use`, which the React hooks rule mistakes for React's.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // The env module reads the environment; scripts pass it on to the processes they start.
    files: [
      "src/env.ts",
      "scripts/**",
      "test/**",
      "bench/**",
      "prisma/seed.ts",
      "prisma.config.ts",
      "playwright.config.ts",
      "e2e/**",
    ],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;
