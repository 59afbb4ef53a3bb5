import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, operationBindings } from "./logger";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const text: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      const line = chunk.toString();
      text.push(line);
      lines.push(JSON.parse(line));
      done();
    },
  });
  return { destination, lines, text };
}

describe("createLogger", () => {
  it("redacts credentials and record contents, keeping the ids that find an operation", () => {
    const out = capture();
    const logger = createLogger({ name: "writ-test", level: "info", destination: out.destination });
    const job = { operationId: "op_123", projectId: "proj_456", acceptedAt: 1 };
    logger.child(operationBindings(job)).info(
      {
        record: { email: "ada@example.com", firstname: "Ada" },
        credentials: { apiKey: "pat-na1-secret-key", accessToken: "token-abc" },
        connection: { accessToken: "token-def", refreshToken: "refresh-ghi" },
        job: { records: [{ index: 0, record: { phone: "+1 555 0100" } }] },
        req: { headers: { authorization: "Bearer admin-token-xyz", "x-api-key": "writ_key" } },
      },
      "write finished",
    );

    expect(out.lines).toHaveLength(1);
    const line = out.lines[0]!;
    expect(line).toMatchObject({
      msg: "write finished",
      service: "writ-test",
      operationId: "op_123",
      projectId: "proj_456",
      record: "[redacted]",
      credentials: "[redacted]",
      connection: { accessToken: "[redacted]", refreshToken: "[redacted]" },
      job: { records: "[redacted]" },
      req: { headers: { authorization: "[redacted]", "x-api-key": "[redacted]" } },
    });
    expect(line).not.toHaveProperty("acceptedAt");
    for (const secret of [
      "ada@example.com",
      "Ada",
      "pat-na1-secret-key",
      "token-abc",
      "token-def",
      "refresh-ghi",
      "+1 555 0100",
      "admin-token-xyz",
      "writ_key",
    ]) {
      expect(out.text.join("")).not.toContain(secret);
    }
  });

  it("honours the configured level", () => {
    const out = capture();
    const logger = createLogger({ name: "writ-test", level: "warn", destination: out.destination });
    logger.info({}, "quiet");
    logger.warn({}, "loud");
    expect(out.lines.map((line) => line.msg)).toEqual(["loud"]);
  });
});
