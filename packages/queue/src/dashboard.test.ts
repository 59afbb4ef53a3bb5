import { describe, expect, it } from "vitest";
import type { WriteJob, WriteJobResult } from "./catalog";
import { redactWriteJobData, redactWriteJobResult } from "./dashboard";

const job: WriteJob = {
  operationId: "op_1",
  projectId: "proj_1",
  integrationId: "int_1",
  installationId: "inst_1",
  configId: "cfg_1",
  connectionId: "conn_1",
  provider: "hubspot",
  groupRef: "acme",
  objectName: "contacts",
  type: "create",
  mode: "asynchronous",
  isBatch: true,
  allOrNone: false,
  records: [
    {
      index: 0,
      record: { email: "ada@example.com", address: { city: "London" }, tags: ["vip"] },
      associations: [{ to: { id: "9001" }, types: [{ associationTypeId: 279 }] }],
    },
  ],
  headers: [{ key: "Sforce-Duplicate-Rule-Header", value: "allowSave=true" }],
  deadlineAt: 2,
  acceptedAt: 1,
  request: { groupRef: "acme", headers: [{ key: "k", value: "secret-header" }] },
};

describe("redactWriteJobData", () => {
  it("keeps ids and field names, hides record, association, header and request values", () => {
    const shown = redactWriteJobData(job) as Record<string, unknown>;
    expect(shown).toMatchObject({
      operationId: "op_1",
      provider: "hubspot",
      objectName: "contacts",
      type: "create",
      acceptedAt: 1,
      records: [
        {
          index: 0,
          record: {
            email: "[redacted]",
            address: { city: "[redacted]" },
            tags: ["[redacted]"],
          },
          associations: [
            { to: { id: "[redacted]" }, types: [{ associationTypeId: "[redacted]" }] },
          ],
        },
      ],
      headers: [{ key: "Sforce-Duplicate-Rule-Header", value: "[redacted]" }],
      request: { groupRef: "[redacted]", headers: [{ key: "[redacted]", value: "[redacted]" }] },
    });
    const text = JSON.stringify(shown);
    for (const value of ["ada@example.com", "London", "vip", "9001", "allowSave", "secret-header"])
      expect(text).not.toContain(value);
  });

  it("redacts fields it does not know", () => {
    expect(redactWriteJobData({ operationId: "op_1", apiKey: "k-123" })).toEqual({
      operationId: "op_1",
      apiKey: "[redacted]",
    });
    expect(redactWriteJobData("raw")).toBe("[redacted]");
  });
});

describe("redactWriteJobResult", () => {
  it("keeps the outcome and provider messages, hides the provider's record data", () => {
    const result: WriteJobResult = {
      status: "success",
      httpStatus: 200,
      body: {
        operationId: "op_1",
        result: {
          success: true,
          recordId: "501",
          data: { id: "501", properties: { email: "ada@example.com" } },
        },
        errors: [{ message: "record 1: rate limited" }],
      },
    };
    expect(redactWriteJobResult(result)).toEqual({
      status: "success",
      httpStatus: 200,
      body: {
        operationId: "op_1",
        result: {
          success: true,
          recordId: "501",
          data: { id: "[redacted]", properties: { email: "[redacted]" } },
        },
        errors: [{ message: "record 1: rate limited" }],
      },
    });
    expect(redactWriteJobResult(undefined)).toBeUndefined();
  });
});
