import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Stands in for an OpenTelemetry collector: accepts OTLP/HTTP exports on /v1/traces and drops
 * them. Writ's processes run with tracing on, as a deployment does, so their figures include
 * creating, batching and exporting every span; what a collector does with them is not Writ's cost.
 */
export class OtlpSink {
  exports = 0;
  bytes = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<OtlpSink> {
    let sink: OtlpSink | undefined;
    const server = createServer((req, res) => {
      req.on("data", (chunk: Buffer) => {
        if (sink) sink.bytes += chunk.length;
      });
      req.on("end", () => {
        if (sink && req.url === "/v1/traces") sink.exports++;
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    sink = new OtlpSink(server, `http://127.0.0.1:${port}`);
    return sink;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
