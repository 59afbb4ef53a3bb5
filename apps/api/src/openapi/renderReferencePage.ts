import type {
  JsonSchema,
  OpenApiDocument,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiResponse,
} from "./buildOpenApiDocument";

/**
 * The browsable API reference served at /docs: one self-contained HTML page rendered from the
 * OpenAPI document (no scripts or styles from elsewhere, so it works offline and behind
 * firewalls). Operations are grouped by tag, each with an anchor; the search box filters them.
 */
export function renderReferencePage(document: OpenApiDocument): string {
  const operations = listOperations(document);
  const byTag = new Map<string, typeof operations>();
  for (const tag of document.tags) byTag.set(tag.name, []);
  for (const entry of operations) {
    for (const tag of entry.operation.tags) {
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)?.push(entry);
    }
  }
  const tagDescription = new Map(document.tags.map((tag) => [tag.name, tag.description]));

  const nav = [...byTag.entries()]
    .map(
      ([
        tag,
        entries,
      ]) => `<div class="nav-group operations"><a class="nav-tag" href="#tag-${slug(tag)}">${escapeHtml(tag)}</a>
${entries
  .map(
    ({ method, path, operation }) =>
      `<a class="nav-op" data-search="${escapeHtml(searchText(method, path, operation))}" href="#${escapeHtml(operation.operationId)}"><span class="method ${method}">${method.toUpperCase()}</span> ${escapeHtml(operation.summary)}</a>`,
  )
  .join("\n")}</div>`,
    )
    .join("\n");

  const sections = [...byTag.entries()]
    .map(
      ([tag, entries]) => `<section class="tag" id="tag-${slug(tag)}">
<h2>${escapeHtml(tag)}</h2>
${tagDescription.get(tag) ? `<p class="tag-description">${escapeHtml(tagDescription.get(tag) ?? "")}</p>` : ""}
${entries.map((entry) => renderOperation(entry.method, entry.path, entry.operation, document)).join("\n")}
</section>`,
    )
    .join("\n");

  const schemaSections = Object.entries(document.components.schemas)
    .map(
      ([name, schema]) => `<section class="schema" id="schema-${escapeHtml(name)}">
<h3>${escapeHtml(name)}</h3>
${typeof schema.description === "string" ? `<p>${escapeHtml(schema.description)}</p>` : ""}
${renderSchema(schema, 0)}
</section>`,
    )
    .join("\n");

  const servers = document.servers
    .map((server) => `<code>${escapeHtml(server.url)}</code> ${escapeHtml(server.description)}`)
    .join("<br>");

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)}</title>
<style>${styles}</style>
</head>
<body>
<nav>
<div class="brand"><a href="#top">${escapeHtml(document.info.title)}</a> <span class="version">${escapeHtml(document.info.version)}</span></div>
<input id="search" type="search" placeholder="Search endpoints" aria-label="Search endpoints" autocomplete="off">
${nav}
<div class="nav-group"><a class="nav-tag" href="#schemas">Schemas</a></div>
</nav>
<main>
<header id="top">
<h1>${escapeHtml(document.info.title)}</h1>
<p>${escapeHtml(document.info.description)}</p>
<p><strong>Server:</strong> ${servers}</p>
<p><strong>Authentication</strong> (each endpoint says which it accepts):</p>
<ul>${Object.entries(document.components.securitySchemes)
    .map(
      ([name, scheme]) =>
        `<li><code>${escapeHtml(securityLabel(name, document))}</code> ${escapeHtml(scheme.description ?? "")}</li>`,
    )
    .join("")}</ul>
<p>The machine-readable document: <a href="openapi.json">openapi.json</a> (OpenAPI ${escapeHtml(document.openapi)}).</p>
</header>
${sections}
<section id="schemas">
<h2>Schemas</h2>
${schemaSections}
</section>
<p id="no-match" hidden>No endpoint matches the search.</p>
</main>
<script>${script}</script>
</body>
</html>
`;
}

interface OperationEntry {
  method: string;
  path: string;
  operation: OpenApiOperation;
}

function listOperations(document: OpenApiDocument): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation) entries.push({ method, path, operation });
    }
  }
  return entries;
}

function searchText(method: string, path: string, operation: OpenApiOperation): string {
  return [method, path, operation.summary, operation.operationId, ...operation.tags]
    .join(" ")
    .toLowerCase();
}

function securityLabel(name: string, document: OpenApiDocument): string {
  const scheme = document.components.securitySchemes[name];
  if (!scheme) return name;
  if (scheme.type === "http") return `Authorization: Bearer …`;
  return scheme.in === "query" ? `?${scheme.name}=…` : `${scheme.name}: …`;
}

function renderOperation(
  method: string,
  path: string,
  operation: OpenApiOperation,
  document: OpenApiDocument,
): string {
  const security =
    operation.security.length === 0
      ? "none"
      : operation.security
          .map((requirement) =>
            Object.keys(requirement)
              .map((name) => `<code>${escapeHtml(securityLabel(name, document))}</code>`)
              .join(" and "),
          )
          .join(" or ");
  const body = operation.requestBody
    ? Object.entries(operation.requestBody.content)
        .map(
          ([mediaType, media]) =>
            `<h4>Request body <span class="media">${escapeHtml(mediaType)}</span></h4>${renderUnfolded(media.schema, document)}`,
        )
        .join("")
    : "";
  return `<article class="operation" id="${escapeHtml(operation.operationId)}" data-search="${escapeHtml(searchText(method, path, operation))}">
<h3><a class="anchor" href="#${escapeHtml(operation.operationId)}">#</a> <span class="method ${method}">${method.toUpperCase()}</span> <code class="path">${escapeHtml(path)}</code></h3>
<p class="summary">${escapeHtml(operation.summary)}</p>
${operation.description ? `<p>${escapeHtml(operation.description)}</p>` : ""}
<p class="meta">Operation <code>${escapeHtml(operation.operationId)}</code> · Authentication: ${security}</p>
${renderParameters(operation.parameters)}
${body}
<h4>Responses</h4>
${renderResponses(operation.responses, document)}
</article>`;
}

function renderParameters(parameters: OpenApiParameter[]): string {
  if (parameters.length === 0) return "";
  const rows = parameters
    .map(
      (parameter) =>
        `<tr><td><code>${escapeHtml(parameter.name)}</code>${parameter.required ? ' <span class="required">required</span>' : ""}</td><td>${escapeHtml(parameter.in)}</td><td>${typeLabel(parameter.schema)}${constraints(parameter.schema)}</td><td>${escapeHtml(parameter.description ?? "")}</td></tr>`,
    )
    .join("\n");
  return `<h4>Parameters</h4>
<table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function renderResponses(
  responses: Record<string, OpenApiResponse>,
  document: OpenApiDocument,
): string {
  return Object.entries(responses)
    .map(([status, response]) => {
      const headers = Object.entries(response.headers ?? {})
        .map(
          ([name, header]) =>
            `<div class="header-line">Header <code>${escapeHtml(name)}</code> ${typeLabel(header.schema)}: ${escapeHtml(header.description)}</div>`,
        )
        .join("");
      const content = Object.entries(response.content ?? {})
        .map(
          ([mediaType, media]) =>
            `<div class="media">${escapeHtml(mediaType)}</div>${
              // Successful answers unfold; the shared problem shapes stay one link each.
              status.startsWith("2")
                ? renderUnfolded(media.schema, document)
                : renderSchema(media.schema, 0)
            }`,
        )
        .join("");
      const kind = status === "default" ? "other" : `s${status.charAt(0)}xx`;
      return `<details class="response"${status.startsWith("2") ? " open" : ""}>
<summary><span class="status ${kind}">${escapeHtml(status)}</span> ${escapeHtml(response.description)}</summary>
${headers}${content || '<div class="empty">No body</div>'}
</details>`;
    })
    .join("\n");
}

const maxDepth = 6;

/** A named schema's link followed by its properties, so the operation reads without jumping. */
function renderUnfolded(schema: JsonSchema, document: OpenApiDocument): string {
  const items = schema.type === "array" ? (schema.items as JsonSchema | undefined) : undefined;
  const ref = items?.$ref ?? schema.$ref;
  const target =
    typeof ref === "string"
      ? document.components.schemas[ref.replace("#/components/schemas/", "")]
      : undefined;
  if (!target) return renderSchema(schema, 0);
  return `<div class="schema-line">${typeLabel(schema)}${description(target)}</div>${renderSchema(target, 0)}`;
}

/** A schema as a readable tree: properties with their types, constraints and descriptions. */
function renderSchema(schema: JsonSchema, depth: number): string {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties && depth < maxDepth) {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const rows = Object.entries(properties)
      .map(([name, property]) => {
        const nested = nestedSchema(property);
        return `<li><code>${escapeHtml(name)}</code> ${typeLabel(property)}${required.has(name) ? ' <span class="required">required</span>' : ""}${constraints(property)}${description(property)}${nested ? renderSchema(nested, depth + 1) : ""}</li>`;
      })
      .join("\n");
    const extra =
      schema.additionalProperties === false
        ? ""
        : schema.additionalProperties === undefined
          ? ""
          : '<li class="note">other properties are allowed</li>';
    return `<ul class="schema-tree">${rows}${extra}</ul>`;
  }
  const alternatives = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (alternatives && depth < maxDepth) {
    return `<ul class="schema-tree alternatives">${alternatives
      .map(
        (alternative) =>
          `<li>${typeLabel(alternative)}${constraints(alternative)}${description(alternative)}${nestedSchema(alternative) ? renderSchema(nestedSchema(alternative) as JsonSchema, depth + 1) : ""}</li>`,
      )
      .join("")}</ul>`;
  }
  return `<div class="schema-line">${typeLabel(schema)}${constraints(schema)}</div>`;
}

/** The part of a property worth unfolding below it: an inline object, or an array's items. */
function nestedSchema(schema: JsonSchema): JsonSchema | undefined {
  if (schema.properties) return schema;
  if (schema.oneOf || schema.anyOf) return schema;
  const items = schema.items as JsonSchema | undefined;
  if (items && (items.properties || items.oneOf || items.anyOf)) return items;
  return undefined;
}

function typeLabel(schema: JsonSchema): string {
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const name = ref.replace("#/components/schemas/", "");
    return `<a class="type" href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  }
  if (schema.const !== undefined)
    return `<span class="type">${escapeHtml(JSON.stringify(schema.const))}</span>`;
  if (Array.isArray(schema.enum)) {
    return `<span class="type">${schema.enum.map((value) => escapeHtml(JSON.stringify(value))).join(" | ")}</span>`;
  }
  if (schema.oneOf) return '<span class="type">one of</span>';
  if (schema.anyOf) return '<span class="type">any of</span>';
  const type = schema.type;
  if (type === "array") {
    const items = schema.items as JsonSchema | undefined;
    return `<span class="type">array of</span> ${items ? typeLabel(items) : '<span class="type">any</span>'}`;
  }
  if (type === "object" && !schema.properties && typeof schema.additionalProperties === "object") {
    const values = schema.additionalProperties as JsonSchema;
    const valueLabel =
      Object.keys(values).length === 0 ? '<span class="type">any</span>' : typeLabel(values);
    return `<span class="type">map of</span> ${valueLabel}`;
  }
  if (Array.isArray(type)) return `<span class="type">${escapeHtml(type.join(" | "))}</span>`;
  if (typeof type === "string") {
    const format = typeof schema.format === "string" ? ` (${schema.format})` : "";
    return `<span class="type">${escapeHtml(type + format)}</span>`;
  }
  return '<span class="type">any</span>';
}

const constraintLabels: Array<[string, string]> = [
  ["minimum", "≥"],
  ["maximum", "≤"],
  ["minLength", "min length"],
  ["maxLength", "max length"],
  ["minItems", "min items"],
  ["maxItems", "max items"],
  ["pattern", "pattern"],
  ["default", "default"],
];

function constraints(schema: JsonSchema): string {
  const parts = constraintLabels
    .filter(([key]) => schema[key] !== undefined)
    // Integers carry JavaScript's safe-integer bounds when nothing tighter is set.
    .filter(([key]) => !(key === "minimum" && schema[key] === Number.MIN_SAFE_INTEGER))
    .filter(([key]) => !(key === "maximum" && schema[key] === Number.MAX_SAFE_INTEGER))
    .map(([key, label]) => `${label} ${escapeHtml(JSON.stringify(schema[key]))}`);
  return parts.length > 0 ? ` <span class="constraints">${parts.join(", ")}</span>` : "";
}

function description(schema: JsonSchema): string {
  return typeof schema.description === "string"
    ? ` <span class="description">${escapeHtml(schema.description)}</span>`
    : "";
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const styles = `
:root { color-scheme: light dark; --fg: #1d232b; --muted: #5b6470; --line: #dde1e6; --bg: #fff; --panel: #f6f7f9; --accent: #2457c5; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e7eb; --muted: #9aa3ad; --line: #2f353d; --bg: #14171b; --panel: #1b1f24; --accent: #7aa2f7; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; display: flex; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
nav { position: sticky; top: 0; height: 100vh; overflow-y: auto; width: 320px; flex-shrink: 0; padding: 16px; border-right: 1px solid var(--line); background: var(--panel); }
nav .brand { font-weight: 600; font-size: 17px; margin-bottom: 10px; }
nav .version { color: var(--muted); font-weight: 400; font-size: 13px; }
#search { width: 100%; padding: 7px 9px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); margin-bottom: 12px; }
.nav-group { margin-bottom: 12px; }
.nav-tag { display: block; font-weight: 600; color: var(--fg); margin-bottom: 4px; }
.nav-op { display: block; font-size: 13px; padding: 2px 0; color: var(--fg); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
main { flex: 1; min-width: 0; padding: 24px 40px 80px; max-width: 1100px; }
h1 { margin-top: 0; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: 6px; margin-top: 40px; }
h3 .anchor { color: var(--muted); font-weight: 400; }
h4 { margin: 18px 0 6px; }
.operation { border: 1px solid var(--line); border-radius: 8px; padding: 4px 18px 14px; margin: 18px 0; }
.method { display: inline-block; min-width: 52px; text-align: center; font: 600 11px ui-monospace, monospace; padding: 2px 5px; border-radius: 4px; color: #fff; background: #6b7280; }
.method.get { background: #2f7d4f; } .method.post { background: #2457c5; } .method.put { background: #9a5b00; } .method.patch { background: #7a4fc4; } .method.delete { background: #b3261e; }
.path { font-size: 15px; word-break: break-all; }
.summary { font-weight: 500; }
.meta, .tag-description, .description, .note, .empty { color: var(--muted); }
.required { color: #b3261e; font-size: 12px; }
.type { font: 12px ui-monospace, monospace; color: var(--accent); }
.constraints { font-size: 12px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
td:first-child { white-space: nowrap; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: 5px 8px 5px 0; vertical-align: top; }
.schema-tree { margin: 4px 0; padding-left: 18px; font-size: 14px; }
.schema-tree li { margin: 3px 0; }
.response { border-top: 1px solid var(--line); padding: 6px 0; }
.response summary { cursor: pointer; }
.status { display: inline-block; min-width: 56px; font: 600 12px ui-monospace, monospace; }
.status.s2xx { color: #2f7d4f; } .status.s4xx { color: #9a5b00; } .status.s5xx, .status.other { color: #b3261e; }
.media { font: 12px ui-monospace, monospace; color: var(--muted); margin-top: 6px; }
h4 .media { display: inline; font-weight: 400; }
.header-line { font-size: 14px; margin-top: 4px; }
.schema { border-top: 1px solid var(--line); padding-top: 4px; }
@media (max-width: 800px) { body { display: block; } nav { position: static; width: auto; height: auto; } main { padding: 16px; } }
`;

const script = `
(function () {
  var input = document.getElementById("search");
  var links = Array.prototype.slice.call(document.querySelectorAll(".nav-op"));
  var operations = Array.prototype.slice.call(document.querySelectorAll(".operation"));
  var tags = Array.prototype.slice.call(document.querySelectorAll("section.tag"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".nav-group.operations"));
  var none = document.getElementById("no-match");
  function apply() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var matches = function (element) {
      var text = element.getAttribute("data-search") || "";
      return words.every(function (word) { return text.indexOf(word) !== -1; });
    };
    links.forEach(function (link) { link.hidden = !matches(link); });
    var shown = 0;
    operations.forEach(function (operation) { operation.hidden = !matches(operation); if (!operation.hidden) shown++; });
    tags.forEach(function (tag) { tag.hidden = !tag.querySelector(".operation:not([hidden])"); });
    groups.forEach(function (group) { group.hidden = !group.querySelector(".nav-op:not([hidden])"); });
    none.hidden = shown > 0;
  }
  input.addEventListener("input", apply);
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== input) { event.preventDefault(); input.focus(); }
  });
})();
`;
