// The register as bench/load.ts serves it: a process of its own (so the load generator does not share its event
// loop), started like production (`npm start`): the compiled register from dist/ (bench/load.ts builds it first)
// through start() from src/server.ts, with node's flags from the start script and its configuration from the
// environment the parent passes (NODE_ENV=production, LOG_LEVEL=silent, a fixed SESSION_SECRET, PORT=0).
// Plain JavaScript, so that no TypeScript loader adds to the memory measured.
// When it listens it writes one line `LISTENING <port>` to stdout; SIGTERM stops it cleanly, SIGKILL is the crash.
// On stdin it answers `memory` (and `memory gc`, after a full garbage collection when node runs with --expose-gc)
// with a line `MEMORY <json of process.memoryUsage()>`, so the bench can tell the live JavaScript heap from the
// rest of the resident memory. When stdin closes (the bench is gone) it stops.
"use strict";
const { loadConfig } = require("../dist/src/config");
const { start, stopOnSignals } = require("../dist/src/server");

const config = loadConfig(process.env);
start(config)
  .then((running) => {
    const address = running.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    let pending = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => {
      pending += chunk;
      for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
        const command = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (command === "memory gc") globalThis.gc?.();
        if (command.startsWith("memory")) process.stdout.write(`MEMORY ${JSON.stringify(process.memoryUsage())}\n`);
      }
    });
    process.stdin.on("end", () => void running.stop().then(() => process.exit(0)));
    process.stdout.write(`LISTENING ${port}\n`);
    stopOnSignals(running);
  })
  .catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
