export { run } from "./cli";
export type { CliIo, OutputStream } from "./io";
