import { describe, expect, it } from "vitest";
import { matchCollectionResponse } from "./salesforceConnector";

const rolledBack = {
  statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
  message:
    "Record rolled back because not all records were valid and the request was using AllOrNone header",
  fields: [],
};

describe("matchCollectionResponse", () => {
  it("maps save results by position", () => {
    const outcomes = matchCollectionResponse(
      [
        { id: "003A", success: true, errors: [] },
        {
          success: false,
          errors: [
            {
              statusCode: "REQUIRED_FIELD_MISSING",
              message: "Required fields are missing: [LastName]",
              fields: ["LastName"],
            },
          ],
        },
      ],
      [{ fields: { LastName: "A" } }, { fields: {} }],
      false,
    );
    expect(outcomes[0]).toMatchObject({ ok: true, recordId: "003A" });
    expect(outcomes[1]).toMatchObject({
      ok: false,
      error: { disposition: "permanent", code: "REQUIRED_FIELD_MISSING", fields: ["LastName"] },
    });
  });

  it("explains rollbacks with the record that caused them", () => {
    const outcomes = matchCollectionResponse(
      [
        { id: "003A", success: false, errors: [rolledBack] },
        {
          success: false,
          errors: [{ statusCode: "INVALID_EMAIL_ADDRESS", message: "bad email", fields: [] }],
        },
      ],
      [{ fields: {} }, { fields: {} }],
      true,
    );
    expect(outcomes[0]).toMatchObject({
      ok: false,
      error: {
        disposition: "permanent",
        code: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
        providerMessage: rolledBack.message,
      },
    });
    expect(!outcomes[0]?.ok && outcomes[0]?.error.message).toContain("INVALID_EMAIL_ADDRESS");
  });

  it("lets rolled-back records retry when only a row lock caused the rollback", () => {
    const outcomes = matchCollectionResponse(
      [
        { success: false, errors: [rolledBack] },
        {
          success: false,
          errors: [{ statusCode: "UNABLE_TO_LOCK_ROW", message: "unable to obtain", fields: [] }],
        },
      ],
      [{ fields: {} }, { fields: {} }],
      true,
    );
    expect(outcomes.map((o) => !o.ok && o.error.disposition)).toEqual(["retry", "retry"]);
  });

  it("echoes the input id for updates when the result has none", () => {
    const outcomes = matchCollectionResponse(
      [{ success: true, errors: [] }],
      [{ fields: {}, recordId: "003X" }],
      false,
    );
    expect(outcomes[0]).toMatchObject({ ok: true, recordId: "003X" });
  });
});
