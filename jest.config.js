/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2023" }, module: { type: "commonjs" } }],
  },
  // Browser flows run through `npm run test:e2e` (they need chromium); see tests/e2e.
  testPathIgnorePatterns: ["/node_modules/", "/tests/e2e/"],
};
