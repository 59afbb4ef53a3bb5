import { describe, expect, it } from "vitest";
import { formatProblem } from "./formatProblem";
import { parseManifest } from "./parseManifest";

const yaml = (...lines: string[]) => `${lines.join("\n")}\n`;

// The two manifests of the write-actions guide, verbatim (trailing space after `integrations:`
// included).
const writeToSalesforce = `specVersion: 1.0.0
integrations: 
  - name: write-to-salesforce
    displayName: Write to Salesforce
    provider: salesforce
    write:
      objects:
        - objectName: account
        - objectName: contact
        - objectName: touchpoints__c # You can include custom objects
`;

const writeWithInheritedMapping = `specVersion: 1.0.0
integrations: 
  - name: write-to-salesforce
    displayName: Write to Salesforce
    provider: salesforce
    write:
      objects:
        - objectName: account
          inheritMapping: true
`;

describe("parseManifest on the guide's manifests", () => {
  it("parses the write manifest with no problems", () => {
    expect(parseManifest(writeToSalesforce)).toEqual({
      manifest: {
        specVersion: "1.0.0",
        integrations: [
          {
            name: "write-to-salesforce",
            displayName: "Write to Salesforce",
            provider: "salesforce",
            write: {
              objects: [
                { objectName: "account" },
                { objectName: "contact" },
                { objectName: "touchpoints__c" },
              ],
            },
          },
        ],
      },
      problems: [],
      errors: [],
      warnings: [],
    });
  });

  it("parses the inheritMapping manifest with no problems", () => {
    const result = parseManifest(writeWithInheritedMapping);

    expect(result.problems).toEqual([]);
    expect(result.manifest?.integrations[0]?.write).toEqual({
      objects: [{ objectName: "account", inheritMapping: true }],
    });
  });
});

describe("parseManifest on a manifest using every action", () => {
  const everyAction = yaml(
    "specVersion: 1.0.0",
    "integrations:",
    "  - name: hubspot-crm",
    "    displayName: HubSpot CRM",
    "    provider: hubspot",
    "    module: crm",
    "    read:",
    "      objects:",
    "        - objectName: contacts",
    "          destination: contactsWebhook",
    "          schedule: '*/10 * * * *'",
    "          mapToName: people",
    "          mapToDisplayName: People",
    "          requiredFields:",
    "            - fieldName: email",
    "              mapToName: primaryEmail",
    "          optionalFields:",
    "            - mapToName: source",
    "              mapToDisplayName: Lead source",
    "              default: unknown",
    "              prompt: Which field holds the lead source?",
    "          optionalFieldsAuto: all",
    "          backfill:",
    "            defaultPeriod:",
    "              days: 30",
    "          delivery:",
    "            mode: onRequest",
    "            pageSize: 200",
    "          enabled: always",
    "    write:",
    "      objects:",
    "        - objectName: contacts",
    "          inheritMapping: true",
    "          valueDefaults:",
    "            allowAnyFields: true",
    "        - objectName: deals",
    "    subscribe:",
    "      objects:",
    "        - objectName: contacts",
    "          destination: contactEvents",
    "          inheritFieldsAndMapping: true",
    "          createEvent: {enabled: always}",
    "          updateEvent:",
    "            enabled: always",
    "            watchFieldsAuto: selected",
    "            requiredWatchFields: [email, lifecyclestage]",
    "          deleteEvent: {enabled: always}",
    "          associationChangeEvent: {enabled: always, includeFullRecords: false}",
    "          otherEvents: [object.merged]",
    "    proxy:",
    "      enabled: true",
    "      useModule: false",
    "    watchSchema:",
    "      destination: schemaChanges",
    "      schedule: '0 */6 * * *'",
    "      allObjects:",
    "        fieldCreated: {enabled: always}",
    "        fieldDeleted: {enabled: always}",
  );

  it("returns every value, typed", () => {
    const result = parseManifest(everyAction);

    expect(result.problems).toEqual([]);
    expect(result.manifest).toEqual({
      specVersion: "1.0.0",
      integrations: [
        {
          name: "hubspot-crm",
          displayName: "HubSpot CRM",
          provider: "hubspot",
          module: "crm",
          read: {
            objects: [
              {
                objectName: "contacts",
                destination: "contactsWebhook",
                schedule: "*/10 * * * *",
                mapToName: "people",
                mapToDisplayName: "People",
                requiredFields: [{ fieldName: "email", mapToName: "primaryEmail" }],
                optionalFields: [
                  {
                    mapToName: "source",
                    mapToDisplayName: "Lead source",
                    default: "unknown",
                    prompt: "Which field holds the lead source?",
                  },
                ],
                optionalFieldsAuto: "all",
                backfill: { defaultPeriod: { days: 30 } },
                delivery: { mode: "onRequest", pageSize: 200 },
                enabled: "always",
              },
            ],
          },
          write: {
            objects: [
              {
                objectName: "contacts",
                inheritMapping: true,
                valueDefaults: { allowAnyFields: true },
              },
              { objectName: "deals" },
            ],
          },
          subscribe: {
            objects: [
              {
                objectName: "contacts",
                destination: "contactEvents",
                inheritFieldsAndMapping: true,
                createEvent: { enabled: "always" },
                updateEvent: {
                  enabled: "always",
                  watchFieldsAuto: "selected",
                  requiredWatchFields: ["email", "lifecyclestage"],
                },
                deleteEvent: { enabled: "always" },
                associationChangeEvent: { enabled: "always", includeFullRecords: false },
                otherEvents: ["object.merged"],
              },
            ],
          },
          proxy: { enabled: true, useModule: false },
          watchSchema: {
            destination: "schemaChanges",
            schedule: "0 */6 * * *",
            allObjects: {
              fieldCreated: { enabled: "always" },
              fieldDeleted: { enabled: "always" },
            },
          },
        },
      ],
    });
  });

  it("returns plain JSON with no undefined-valued keys", () => {
    const { manifest } = parseManifest(everyAction);

    expect(JSON.parse(JSON.stringify(manifest))).toStrictEqual(manifest);
    const written = parseManifest(writeToSalesforce).manifest?.integrations[0];
    expect(Object.keys(written ?? {})).toEqual(["name", "provider", "displayName", "write"]);
  });

  it("resolves anchors and aliases", () => {
    const result = parseManifest(
      yaml(
        "specVersion: 1.0.0",
        "integrations:",
        "  - name: hubspot",
        "    provider: hubspot",
        "    write: &writes",
        "      objects: [{objectName: contacts}]",
        "  - name: salesforce",
        "    provider: salesforce",
        "    write: *writes",
      ),
    );

    expect(result.problems).toEqual([]);
    expect(result.manifest?.integrations.map((integration) => integration.write)).toEqual([
      { objects: [{ objectName: "contacts" }] },
      { objects: [{ objectName: "contacts" }] },
    ]);
  });
});

describe("parseManifest with unknown keys", () => {
  const withUnknownKeys = yaml(
    "specVersion: 1.0.0",
    "owner: platform-team",
    "integrations:",
    "  - name: crm",
    "    provider: salesforce",
    "    provder: salesforce",
    "    write:",
    "      objects:",
    "        - objectName: account",
    "          valueDefaults:",
    "            allowAnyFields: true",
    "            allowAllFields: true",
    "          batchSize: 50",
  );

  it("warns about each one and still returns the manifest without them", () => {
    const result = parseManifest(withUnknownKeys);

    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        severity: "warning",
        code: "unknown-key",
        message: expect.stringContaining('unknown key "owner" in the manifest'),
        path: ["owner"],
        line: 2,
        column: 1,
      },
      {
        severity: "warning",
        code: "unknown-key",
        message: 'unknown key "provder" in an integration is ignored (did you mean "provider"?)',
        path: ["integrations", 0, "provder"],
        line: 6,
        column: 5,
      },
      {
        severity: "warning",
        code: "unknown-key",
        message: expect.stringContaining('did you mean "allowAnyFields"?'),
        path: ["integrations", 0, "write", "objects", 0, "valueDefaults", "allowAllFields"],
        line: 12,
        column: 13,
      },
      {
        severity: "warning",
        code: "unknown-key",
        message: expect.stringContaining("known keys: objectName, inheritMapping, valueDefaults"),
        path: ["integrations", 0, "write", "objects", 0, "batchSize"],
        line: 13,
        column: 11,
      },
    ]);
    expect(result.problems).toEqual(result.warnings);
    expect(result.manifest).toEqual({
      specVersion: "1.0.0",
      integrations: [
        {
          name: "crm",
          provider: "salesforce",
          write: { objects: [{ objectName: "account", valueDefaults: { allowAnyFields: true } }] },
        },
      ],
    });
  });
});

describe("parseManifest with YAML warnings", () => {
  it("passes them on as warnings and keeps the manifest", () => {
    const result = parseManifest(
      yaml(
        "specVersion: 1.0.0",
        "integrations:",
        "  - name: !shout crm",
        "    provider: hubspot",
        "    proxy: {}",
      ),
    );

    expect(result.warnings).toEqual([
      {
        severity: "warning",
        code: "yaml-warning",
        message: "Unresolved tag: !shout",
        path: [],
        line: 3,
        column: 11,
      },
    ]);
    expect(result.manifest?.integrations[0]).toEqual({
      name: "crm",
      provider: "hubspot",
      proxy: {},
    });
  });
});

describe("parseManifest with many problems", () => {
  const broken = yaml(
    "specVersion: '1.1'",
    "integrations:",
    "  - name: crm",
    "    provider: zoho",
    "    colour: blue",
    "    write:",
    "      objects:",
    "        - objectName: account",
    "        - objectName: account",
    "        - inheritMapping: maybe",
    "  - name: crm",
    "    provider: hubspot",
    "    read:",
    "      objects:",
    "        - objectName: contacts",
    "          schedule: '* * * * *'",
    "  - name: empty",
    "    provider: salesforce",
  );

  it("reports all of them at once, in source order", () => {
    const result = parseManifest(broken);

    expect(result.manifest).toBeNull();
    expect(result.problems.map((problem) => [problem.code, problem.line, problem.column])).toEqual([
      ["unsupported-spec-version", 1, 14],
      ["unknown-provider", 4, 15],
      ["unknown-key", 5, 5],
      ["duplicate-object-name", 9, 23],
      ["missing-key", 10, 11],
      ["wrong-type", 10, 27],
      ["duplicate-integration-name", 11, 11],
      ["missing-key", 15, 11],
      ["schedule-too-frequent", 16, 21],
      ["integration-without-actions", 17, 5],
    ]);
    expect(result.errors).toHaveLength(9);
    expect(result.warnings).toHaveLength(1);
    expect(
      result.problems.find((problem) => problem.code === "missing-key" && problem.line === 15),
    ).toMatchObject({ path: ["integrations", 1, "read", "objects", 0, "destination"] });
  });

  it("formats each one for a terminal", () => {
    const lines = parseManifest(broken).problems.map((problem) =>
      formatProblem(problem, "amp.yaml"),
    );

    expect(lines[0]).toBe(
      'amp.yaml:1:14: error: specVersion must be "1.0.0", got "1.1" (at specVersion)',
    );
    expect(lines[3]).toBe(
      'amp.yaml:9:23: error: objectName "account" is already in write.objects (line 8) ' +
        "(at integrations[0].write.objects[1].objectName)",
    );
  });
});

describe("parseManifest on input that is not a YAML mapping", () => {
  it("reports every syntax error with its position and nothing about the schema", () => {
    const result = parseManifest(
      yaml("specVersion: [1.0.0", "integrations:", "  - name: crm", "    provider: hubspot"),
    );

    expect(result.manifest).toBeNull();
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.every((problem) => problem.code === "yaml-syntax")).toBe(true);
    expect(result.problems[0]).toMatchObject({ line: 2, column: 1, path: [] });
    expect(result.problems[0]?.message).not.toMatch(/at line/);
  });

  it("reports a repeated syntax error once", () => {
    const { problems } = parseManifest("{{{");

    const positions = problems.map(
      (problem) => `${problem.line}:${problem.column} ${problem.message}`,
    );
    expect(new Set(positions).size).toBe(positions.length);
  });

  it.each([
    ["binary", "\u0000\u0001\u0002\u00ff\u00fe"],
    ["HTML", "<html><body>Not found</body></html>"],
    ["JSON array", '["specVersion", "1.0.0"]'],
  ])("rejects %s", (_kind, source) => {
    const result = parseManifest(source);

    expect(result.manifest).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code: "wrong-type", path: [], line: 1, column: 1 });
  });

  it("accepts the same manifest written as JSON", () => {
    const result = parseManifest(
      JSON.stringify({
        specVersion: "1.0.0",
        integrations: [
          { name: "crm", provider: "hubspot", write: { objects: [{ objectName: "contacts" }] } },
        ],
      }),
    );

    expect(result.problems).toEqual([]);
    expect(result.manifest?.integrations[0]?.name).toBe("crm");
  });
});
