#!/usr/bin/env node
// The `writ` binary: registers tsx's loader in this process, then runs the TypeScript entry
// point. Staying in one process keeps Ctrl-C, exit codes and the terminal the CLI's own.
import { register } from "tsx/esm/api";

register();
await import(new URL("../src/main.ts", import.meta.url).href);
