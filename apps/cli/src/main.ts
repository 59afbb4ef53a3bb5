import { run } from "./cli";
import { processEnvironment } from "./env";
import { exitCodes } from "./io";

// The composition root of the `writ` binary: real streams, the process environment, and Ctrl-C
// wired to an abort signal so long-running commands (write, watch) stop cleanly and report.
const interrupt = new AbortController();
let interrupts = 0;
const onInterrupt = () => {
  interrupts++;
  // A second Ctrl-C means "now": skip waiting for requests in flight.
  if (interrupts > 1) process.exit(exitCodes.interrupted);
  interrupt.abort();
};
process.on("SIGINT", onInterrupt);
process.on("SIGTERM", onInterrupt);

const exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: processEnvironment(),
  signal: interrupt.signal,
});
process.exitCode = exitCode;
