/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2023" }, module: { type: "commonjs" } }],
    // openid-client (and the OpenID provider the sign-in tests run) are ES modules: compiled to CommonJS for jest.
    "^.+\\.m?js$": ["@swc/jest", { jsc: { parser: { syntax: "ecmascript" }, target: "es2023" }, module: { type: "commonjs" } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!(openid-client|oauth4webapi|jose|oidc-provider|nanoid|quick-lru|eta|@koa|koa|jsesc|oidc-token-hash)/)"],
  // Browser flows run through `npm run test:e2e` (they need chromium); see tests/e2e.
  testPathIgnorePatterns: ["/node_modules/", "/tests/e2e/"],
};
