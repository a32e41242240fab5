/** Browser flows and accessibility checks: the real server, Debian's chromium, playwright-core. */
const unit = require("./jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests/e2e"],
  testMatch: ["**/*.e2e.ts"],
  transform: unit.transform,
  transformIgnorePatterns: unit.transformIgnorePatterns,
  testTimeout: 120000,
};
