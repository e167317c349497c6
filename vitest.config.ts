import { defineConfig } from "vitest/config";

// CI (.ci/run) sets SANCTION_TEST_REPORT to collect a JSON summary next to the normal output.
const jsonReport = process.env["SANCTION_TEST_REPORT"];

export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: jsonReport ? ["default", ["json", { outputFile: jsonReport }]] : ["default"],
  },
});
