// Static checks of the deploy files: docker-compose.yml, the Dockerfile, the Kubernetes manifests,
// and the Prometheus, OpenTelemetry Collector and Grafana configuration. Nothing here needs
// Docker or a cluster; each check ties a file to the code or to another file it must agree with.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { parseApiEnv } from "@writ/api";
import { parseWorkerEnv } from "@writ/worker";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { entries as buildEntries, nodeFlags } from "../scripts/build";

const root = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");
const readYaml = (path: string) => parse(read(path), { merge: true }) as unknown;

type Env = Record<string, string>;

// ---------------------------------------------------------------------------------------------
// Compose's variable interpolation, enough of it to resolve this file the way `docker compose`
// does: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, and $$.

class MissingVariableError extends Error {}

function interpolate(text: string, vars: Env): string {
  return text.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, dollar, braced, colon, operator, argument, bare) => {
      if (dollar) return "$";
      const name = (braced ?? bare) as string;
      const value = vars[name];
      const missing = colon ? !value : value === undefined;
      if (operator === "-") return missing ? (argument as string) : (value as string);
      if (operator === "?" && missing) {
        throw new MissingVariableError(`required variable ${name} is missing a value: ${argument}`);
      }
      return value ?? "";
    },
  );
}

function interpolateTree<T>(node: T, vars: Env): T {
  if (typeof node === "string") return interpolate(node, vars) as T;
  if (Array.isArray(node)) return node.map((item) => interpolateTree(item, vars)) as T;
  if (node && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, interpolateTree(value, vars)]),
    ) as T;
  }
  return node;
}

/** KEY=VALUE lines of a dotenv file; comments and blank lines skipped. */
function parseDotenv(text: string): Env {
  const vars: Env = {};
  for (const line of text.split("\n")) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) vars[match[1] as string] = (match[2] as string).trim();
  }
  return vars;
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

interface ComposeHealthcheck {
  test: string[];
}
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: ComposeHealthcheck;
  deploy?: { replicas?: number };
  container_name?: string;
  stop_grace_period?: string;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

const envExample = parseDotenv(read(".env.example"));
/** What a user has after `cp .env.example .env` and filling in the two required values. */
const userEnv: Env = {
  ...envExample,
  WRIT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  WRIT_ADMIN_TOKEN: "a-local-admin-token-of-enough-length",
};
const composeRaw = readYaml("docker-compose.yml") as ComposeFile;
const compose = interpolateTree(composeRaw, userEnv);
const services = compose.services;

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no ${name} service`);
  return found;
}

function environmentOf(name: string): Env {
  return Object.fromEntries(
    Object.entries(service(name).environment ?? {}).map(([key, value]) => [key, String(value)]),
  );
}

function dependsOn(name: string): Record<string, string> {
  const deps = service(name).depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((dep) => [dep, "service_started"]));
  return Object.fromEntries(Object.entries(deps).map(([dep, spec]) => [dep, spec.condition]));
}

/** host port → container port of `"127.0.0.1:host:container"` entries. */
function publishedPorts(name: string): Map<number, number> {
  return new Map(
    (service(name).ports ?? []).map((entry) => {
      const match = /^127\.0\.0\.1:(\d+):(\d+)$/.exec(entry);
      if (!match) throw new Error(`${name} publishes ${entry} beyond this machine`);
      return [Number(match[1]), Number(match[2])];
    }),
  );
}

/** The URL a node-fetch healthcheck requests. */
function healthcheckUrl(name: string): URL {
  const test = service(name).healthcheck?.test.join(" ") ?? "";
  const match = /(https?:\/\/[^'"\s)]+)/.exec(test);
  if (!match) throw new Error(`${name}'s healthcheck requests no URL: ${test}`);
  return new URL(match[1] as string);
}

const writProcesses = ["migrate", "api", "worker", "sandbox"];

describe("docker-compose.yml", () => {
  it("runs the whole stack", () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        "api",
        "grafana",
        "jaeger",
        "migrate",
        "otel-collector",
        "postgres",
        "prometheus",
        "redis",
        "sandbox",
        "worker",
      ].sort(),
    );
  });

  it("runs Redis with an append-only file and no eviction, and keeps its data in a volume", () => {
    const redis = service("redis");
    const command = redis.command ?? [];
    expect(command[0]).toBe("redis-server");
    expect(command[command.indexOf("--appendonly") + 1]).toBe("yes");
    expect(command[command.indexOf("--maxmemory-policy") + 1]).toBe("noeviction");
    expect(redis.image).toMatch(/^redis:7(\b|$)/);
    expect(redis.volumes).toContain("redis-data:/data");
  });

  it("runs PostgreSQL 16 with its data in a volume", () => {
    const postgres = service("postgres");
    expect(postgres.image).toMatch(/^postgres:16(\b|$)/);
    expect(postgres.volumes).toContain("postgres-data:/var/lib/postgresql/data");
  });

  it("declares every named volume it mounts", () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const volume of svc.volumes ?? []) {
        const source = volume.split(":")[0] as string;
        if (source.startsWith(".") || source.startsWith("/")) continue;
        expect(Object.keys(compose.volumes), `${name} mounts ${source}`).toContain(source);
      }
    }
  });

  it("gives the stateful and Writ services a healthcheck, and waits only on ones that have one", () => {
    for (const name of ["redis", "postgres", "api", "worker", "sandbox", "prometheus"]) {
      const test = service(name).healthcheck?.test ?? [];
      expect(test[0], name).toBe("CMD");
      expect(test.length, name).toBeGreaterThan(1);
      for (const part of test)
        expect(typeof part, `${name}: ${JSON.stringify(part)}`).toBe("string");
    }
    for (const [name, _svc] of Object.entries(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(name))) {
        expect(Object.keys(services), `${name} depends on ${dep}`).toContain(dep);
        if (condition === "service_healthy") {
          expect(service(dep).healthcheck, `${name} waits for ${dep} to be healthy`).toBeDefined();
        }
        if (condition === "service_completed_successfully") expect(dep).toBe("migrate");
      }
    }
  });

  it("migrates once PostgreSQL is healthy, and starts the API and workers only after that", () => {
    expect(service("migrate").command).toEqual(["node", "dist/migrate.mjs"]);
    expect(dependsOn("migrate")).toEqual({ postgres: "service_healthy" });
    for (const name of ["api", "worker"]) {
      expect(dependsOn(name), name).toMatchObject({
        migrate: "service_completed_successfully",
        redis: "service_healthy",
        postgres: "service_healthy",
      });
    }
  });

  it("runs every Writ process from the one image, built once from infra/docker/Dockerfile", () => {
    // Services sharing a tag must not each build it: parallel builds collide on the export.
    const builders = Object.entries(services).filter(([, svc]) => svc.build);
    expect(builders.map(([name]) => name)).toEqual(["migrate"]);
    const build = service("migrate").build;
    expect(build?.dockerfile).toBe("infra/docker/Dockerfile");
    expect(existsSync(join(root, build?.context ?? "?", build?.dockerfile ?? "?"))).toBe(true);
    for (const name of writProcesses) {
      const { image, command } = service(name);
      expect(image, name).toBe(service("migrate").image);
      // Each runs its compiled entry from `npm run build`, built from a source that exists.
      expect(command, name).toEqual(["node", ...(nodeFlags[name] ?? []), `dist/${name}.mjs`]);
      const source = buildEntries[name] ?? "?";
      expect(existsSync(join(root, source)), `${name} is built from ${source}`).toBe(true);
    }
  });

  it("gives the API and the workers every setting they need in production", () => {
    const api = parseApiEnv(environmentOf("api"));
    expect(api.NODE_ENV).toBe("production");
    expect(api.WRIT_ENCRYPTION_KEY).toBe(userEnv.WRIT_ENCRYPTION_KEY);
    expect(api.WRIT_ADMIN_TOKEN).toBe(userEnv.WRIT_ADMIN_TOKEN);

    const worker = parseWorkerEnv(environmentOf("worker"));
    expect(worker.NODE_ENV).toBe("production");
    expect(worker.WRIT_ENCRYPTION_KEY).toBe(api.WRIT_ENCRYPTION_KEY);
    expect(worker.WRIT_WORKER_PORT).toBe(3001);

    for (const env of [api, worker]) {
      const database = new URL(env.DATABASE_URL);
      const postgres = environmentOf("postgres");
      expect(database.hostname).toBe("postgres");
      expect(database.username).toBe(postgres.POSTGRES_USER);
      expect(database.password).toBe(postgres.POSTGRES_PASSWORD);
      expect(database.pathname).toBe(`/${postgres.POSTGRES_DB}`);
      expect(new URL(env.REDIS_URL).hostname).toBe("redis");
    }
    expect(environmentOf("migrate").DATABASE_URL).toBe(api.DATABASE_URL);
    expect(worker.WRIT_QUEUE_PREFIX).toBe(api.WRIT_QUEUE_PREFIX);
  });

  it("points the workers' provider calls at the sandbox", () => {
    const worker = parseWorkerEnv(environmentOf("worker"));
    const sandbox = environmentOf("sandbox");
    const sandboxOrigin = `http://sandbox:${sandbox.SANDBOX_PORT}`;
    expect(worker.WRIT_PROVIDER_BASE_URL_HUBSPOT).toBe(`${sandboxOrigin}/hubspot`);
    expect(worker.WRIT_PROVIDER_BASE_URL_SALESFORCE).toBe(`${sandboxOrigin}/salesforce`);
    expect(worker.WRIT_PROVIDER_TOKEN_URL_HUBSPOT).toBe(`${sandboxOrigin}/hubspot/oauth/v1/token`);
    expect(worker.WRIT_PROVIDER_TOKEN_URL_SALESFORCE).toBe(
      `${sandboxOrigin}/salesforce/services/oauth2/token`,
    );
  });

  it("refuses to start without the encryption key or the admin token", () => {
    for (const name of ["WRIT_ENCRYPTION_KEY", "WRIT_ADMIN_TOKEN"]) {
      expect(envExample[name], `.env.example leaves ${name} for the user`).toBe("");
      const withoutIt = { ...userEnv, [name]: "" };
      expect(() => interpolateTree(composeRaw, withoutIt), name).toThrow(
        new RegExp(`${name} is missing a value: .*\\.env\\.example`),
      );
    }
  });

  it("documents in .env.example every variable it reads", () => {
    const referenced = new Set(
      [...read("docker-compose.yml").matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]),
    );
    expect(referenced.size).toBeGreaterThan(2);
    for (const name of referenced) expect(Object.keys(envExample), name).toContain(name);
  });

  it("publishes the API, sandbox and UIs on distinct localhost ports, and health-checks the right ones", () => {
    const hostPorts = Object.keys(services).flatMap((name) => [...publishedPorts(name).keys()]);
    expect(new Set(hostPorts).size).toBe(hostPorts.length);

    const apiPort = Number(environmentOf("api").PORT);
    expect(publishedPorts("api").get(3000)).toBe(apiPort);
    expect(healthcheckUrl("api").port).toBe(String(apiPort));
    expect(healthcheckUrl("api").pathname).toBe("/readyz");

    expect(healthcheckUrl("worker").port).toBe(environmentOf("worker").WRIT_WORKER_PORT);
    expect(healthcheckUrl("worker").pathname).toBe("/readyz");

    const sandbox = environmentOf("sandbox");
    expect(sandbox.SANDBOX_HOST).toBe("0.0.0.0");
    expect(publishedPorts("sandbox").get(4010)).toBe(Number(sandbox.SANDBOX_PORT));
    expect(healthcheckUrl("sandbox").port).toBe(sandbox.SANDBOX_PORT);
    expect(healthcheckUrl("sandbox").pathname).toBe("/healthz");

    expect(publishedPorts("jaeger").get(16686)).toBe(16686);
    expect(publishedPorts("prometheus").get(9090)).toBe(9090);
    expect(publishedPorts("grafana").get(3002)).toBe(3000);
  });

  it("runs several workers that publish no ports, and gives them time to drain", () => {
    const worker = service("worker");
    expect(worker.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(worker.ports).toBeUndefined();
    expect(worker.container_name).toBeUndefined();
    expect(worker.stop_grace_period).toBe("60s");
  });

  it("mounts only files and folders that exist in the repository", () => {
    let binds = 0;
    for (const [name, svc] of Object.entries(services)) {
      for (const volume of svc.volumes ?? []) {
        const source = volume.split(":")[0] as string;
        if (!source.startsWith(".")) continue;
        binds += 1;
        expect(existsSync(join(root, source)), `${name} mounts ${source}`).toBe(true);
      }
    }
    expect(binds).toBeGreaterThanOrEqual(4);
  });

  it("sends traces to the collector's OTLP/HTTP receiver", () => {
    const collector = readYaml("infra/otel/collector.yaml") as OtelConfig;
    const httpPort = collector.receivers.otlp.protocols.http?.endpoint.split(":").pop();
    for (const name of ["api", "worker"]) {
      const endpoint = new URL(environmentOf(name).OTEL_EXPORTER_OTLP_ENDPOINT ?? "");
      expect(endpoint.hostname, name).toBe("otel-collector");
      expect(endpoint.port, name).toBe(httpPort);
      expect(environmentOf(name).OTEL_SERVICE_NAME, name).toBe(`writ-${name}`);
    }
    expect(mountTarget("otel-collector", "./infra/otel/collector.yaml")).toBe(
      service("otel-collector").command?.[0]?.replace("--config=", ""),
    );
  });
});

function mountTarget(name: string, source: string): string | undefined {
  const entry = (service(name).volumes ?? []).find((volume) => volume.startsWith(`${source}:`));
  return entry?.split(":")[1];
}

// ---------------------------------------------------------------------------------------------
// Prometheus, OpenTelemetry Collector, Grafana provisioning

interface OtelConfig {
  receivers: { otlp: { protocols: { grpc?: { endpoint: string }; http?: { endpoint: string } } } };
  processors: Record<string, unknown>;
  exporters: Record<string, { endpoint: string; tls?: { insecure?: boolean } }>;
  extensions?: Record<string, unknown>;
  service: {
    extensions?: string[];
    pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }>;
  };
}

interface PrometheusConfig {
  scrape_configs: Array<{
    job_name: string;
    metrics_path?: string;
    dns_sd_configs?: Array<{ names: string[]; type: string; port: number }>;
    static_configs?: Array<{ targets: string[] }>;
  }>;
}

describe("observability configuration", () => {
  it("scrapes /metrics on every API and worker container", () => {
    const config = readYaml("infra/prometheus/prometheus.yml") as PrometheusConfig;
    const targets = config.scrape_configs.flatMap((job) =>
      (job.dns_sd_configs ?? []).flatMap((sd) =>
        sd.names.map((host) => ({ host, port: sd.port, path: job.metrics_path, type: sd.type })),
      ),
    );
    expect(targets).toContainEqual({
      host: "api",
      port: Number(environmentOf("api").PORT),
      path: "/metrics",
      type: "A",
    });
    expect(targets).toContainEqual({
      host: "worker",
      port: Number(environmentOf("worker").WRIT_WORKER_PORT),
      path: "/metrics",
      type: "A",
    });
    expect(mountTarget("prometheus", "./infra/prometheus/prometheus.yml")).toBe(
      "/etc/prometheus/prometheus.yml",
    );
  });

  it("has the collector receive OTLP over gRPC and HTTP, batch, and export to Jaeger", () => {
    const config = readYaml("infra/otel/collector.yaml") as OtelConfig;
    expect(config.receivers.otlp.protocols.grpc?.endpoint).toBe("0.0.0.0:4317");
    expect(config.receivers.otlp.protocols.http?.endpoint).toBe("0.0.0.0:4318");
    const traces = config.service.pipelines.traces;
    expect(traces?.receivers).toEqual(["otlp"]);
    expect(traces?.processors).toContain("batch");
    // Every component a pipeline names must be defined, or the collector refuses to start.
    for (const pipeline of Object.values(config.service.pipelines)) {
      for (const name of pipeline.receivers) expect(Object.keys(config.receivers)).toContain(name);
      for (const name of pipeline.processors)
        expect(Object.keys(config.processors)).toContain(name);
      for (const name of pipeline.exporters) expect(Object.keys(config.exporters)).toContain(name);
    }
    for (const name of config.service.extensions ?? []) {
      expect(Object.keys(config.extensions ?? {})).toContain(name);
    }
    const exporters = traces?.exporters.map((name) => config.exporters[name]);
    expect(exporters).toContainEqual({ endpoint: "jaeger:4317", tls: { insecure: true } });
    expect(traces?.exporters.every((name) => name.split("/")[0] === "otlp")).toBe(true);
    expect(environmentOf("jaeger").COLLECTOR_OTLP_ENABLED).toBe("true");
  });

  it("provisions Grafana with the Prometheus service and the Writ dashboards", () => {
    const datasources = readYaml("infra/grafana/provisioning/datasources/prometheus.yaml") as {
      datasources: Array<{ uid: string; type: string; url: string }>;
    };
    const prometheus = datasources.datasources.find((ds) => ds.type === "prometheus");
    expect(prometheus?.url).toBe("http://prometheus:9090");
    expect(prometheus?.uid).toBe(dashboardDatasourceUid);

    const providers = readYaml("infra/grafana/provisioning/dashboards/writ.yaml") as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    const path = providers.providers[0]?.options.path;
    expect(mountTarget("grafana", "./infra/grafana/dashboards")).toBe(path);
    expect(mountTarget("grafana", "./infra/grafana/provisioning")).toBe(
      "/etc/grafana/provisioning",
    );

    const home = environmentOf("grafana").GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? "";
    expect(posix.dirname(home)).toBe(path);
    expect(existsSync(join(root, "infra/grafana/dashboards", posix.basename(home)))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The Grafana dashboard. Its queries may use only the metrics Writ exports, with their labels.

type MetricType = "counter" | "gauge" | "histogram";
const writeLabels = ["provider", "object", "type"];
/** The metrics the API and the workers export (packages/telemetry), with their labels. */
const exportedMetrics: Record<string, { type: MetricType; labels: string[] }> = {
  writ_writes_accepted_total: { type: "counter", labels: writeLabels },
  writ_writes_succeeded_total: { type: "counter", labels: writeLabels },
  writ_writes_failed_total: { type: "counter", labels: writeLabels },
  writ_writes_retried_total: { type: "counter", labels: writeLabels },
  writ_write_duration_seconds: { type: "histogram", labels: [...writeLabels, "status"] },
  writ_provider_request_duration_seconds: { type: "histogram", labels: ["provider", "status"] },
  writ_provider_rate_limited_total: { type: "counter", labels: ["provider"] },
  writ_rate_limit_wait_seconds: { type: "histogram", labels: ["provider"] },
  writ_queue_jobs: { type: "gauge", labels: ["state"] },
  writ_webhook_deliveries_total: { type: "counter", labels: ["outcome"] },
};

/** Series name → the metric it belongs to; a histogram has _bucket, _sum and _count series. */
const exportedSeries = new Map(
  Object.entries(exportedMetrics).flatMap(([name, { type }]) =>
    type === "histogram"
      ? ["_bucket", "_sum", "_count"].map((suffix) => [`${name}${suffix}`, name] as const)
      : [[name, name] as const],
  ),
);

/** The labels a query over these series may name: theirs, and `le` for histogram buckets. */
function labelsOf(series: string[]): Set<string> {
  const labels = new Set<string>();
  for (const name of series) {
    for (const label of exportedMetrics[exportedSeries.get(name) ?? ""]?.labels ?? []) {
      labels.add(label);
    }
    if (name.endsWith("_bucket")) labels.add("le");
  }
  return labels;
}

const promqlFunctions = new Set([
  "sum",
  "max",
  "min",
  "avg",
  "count",
  "topk",
  "bottomk",
  "rate",
  "irate",
  "increase",
  "histogram_quantile",
  "clamp_min",
  "clamp_max",
  "abs",
  "vector",
  "label_values",
]);
const promqlKeywords = new Set(["and", "or", "unless", "bool", "offset"]);

interface PromqlUse {
  series: string[];
  labels: string[];
  unknownFunctions: string[];
}

/** The series names, label names and functions a PromQL expression (or Grafana query) uses. */
function promqlUse(expression: string): PromqlUse {
  const labels: string[] = [];
  let rest = expression
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/label_values\(([^,()]*(?:\{[^}]*\})?)\s*,\s*(\w+)\s*\)/g, (_m, selector, label) => {
      labels.push(label);
      return ` ${selector} `;
    });
  rest = rest.replace(/\{([^}]*)\}/g, (_m, matchers: string) => {
    for (const match of matchers.matchAll(/([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)/g)) {
      labels.push(match[1] as string);
    }
    return " ";
  });
  rest = rest
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_m, list) => {
      labels.push(
        ...(list as string)
          .split(",")
          .map((label) => label.trim())
          .filter(Boolean),
      );
      return " ";
    });
  const series: string[] = [];
  const unknownFunctions: string[] = [];
  for (const match of rest.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const word = match[0];
    const next = rest.slice((match.index ?? 0) + word.length).trimStart();
    if (next.startsWith("(")) {
      if (!promqlFunctions.has(word)) unknownFunctions.push(word);
    } else if (!promqlKeywords.has(word)) {
      series.push(word);
    }
  }
  return { series, labels, unknownFunctions };
}

interface Target {
  expr: string;
  legendFormat?: string;
  datasource?: { uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: {
    list: Array<{ name: string; query: { query: string }; datasource: { uid: string } }>;
  };
}

const dashboard = JSON.parse(read("infra/grafana/dashboards/writ.json")) as Dashboard;
const allPanels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const queryPanels = allPanels.filter((panel) => panel.type !== "row");
const dashboardDatasourceUid = queryPanels[0]?.datasource?.uid;

function exprsOf(panel: Panel): string[] {
  return (panel.targets ?? []).map((target) => target.expr);
}

describe("infra/grafana/dashboards/writ.json", () => {
  it("is a dashboard with uniquely numbered panels, each with a query", () => {
    expect(dashboard.uid).toBe("writ-overview");
    expect(queryPanels.length).toBeGreaterThanOrEqual(10);
    const ids = allPanels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of queryPanels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? [])
        expect(target.expr.trim(), panel.title).not.toBe("");
    }
  });

  it("queries only the metrics and labels Writ exports", () => {
    const queries = [
      ...queryPanels.flatMap((panel) => panel.targets ?? []),
      ...dashboard.templating.list.map((variable) => ({ expr: variable.query.query })),
    ] as Target[];
    for (const { expr, legendFormat } of queries) {
      const use = promqlUse(expr);
      expect(use.unknownFunctions, expr).toEqual([]);
      expect(use.series.length, expr).toBeGreaterThan(0);
      for (const series of use.series) expect([...exportedSeries.keys()], expr).toContain(series);
      const allowed = labelsOf(use.series);
      for (const label of use.labels) expect([...allowed], `${label} in ${expr}`).toContain(label);
      for (const match of (legendFormat ?? "").matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
        expect([...allowed], `${legendFormat} of ${expr}`).toContain(match[1]);
      }
    }
  });

  it("uses the names, types and labels the metrics package registers", async () => {
    const { createMetrics } = await import("@writ/telemetry");
    const registered = new Map(
      createMetrics()
        .registry.getMetricsAsArray()
        .map((metric) => [metric.name, metric]),
    );
    for (const [name, { type, labels }] of Object.entries(exportedMetrics)) {
      const metric = registered.get(name);
      expect(metric?.type, name).toBe(type);
      // prom-client keeps each metric's declared label names on the instance.
      expect((metric as unknown as { labelNames: string[] }).labelNames, name).toEqual(labels);
    }
  });

  it("reads from the provisioned Prometheus data source", () => {
    expect(dashboardDatasourceUid).toBe("writ-prometheus");
    for (const panel of queryPanels) {
      expect(panel.datasource?.uid, panel.title).toBe(dashboardDatasourceUid);
      for (const target of panel.targets ?? []) {
        expect(target.datasource?.uid ?? dashboardDatasourceUid).toBe(dashboardDatasourceUid);
      }
    }
    for (const variable of dashboard.templating.list) {
      expect(variable.datasource.uid).toBe(dashboardDatasourceUid);
    }
  });

  it("charts every Writ metric", () => {
    const used = new Set(queryPanels.flatMap(exprsOf).flatMap((expr) => promqlUse(expr).series));
    for (const [name, { type }] of Object.entries(exportedMetrics)) {
      expect(used, name).toContain(type === "histogram" ? `${name}_bucket` : name);
    }
  });

  it("shows throughput of every write outcome by provider", () => {
    const panel = queryPanels.find((candidate) =>
      ["accepted", "succeeded", "failed", "retried"].every((outcome) =>
        exprsOf(candidate).some((expr) => expr.includes(`writ_writes_${outcome}_total{`)),
      ),
    );
    expect(panel, "one panel with accepted, succeeded, failed and retried").toBeDefined();
    for (const expr of exprsOf(panel as Panel)) {
      expect(expr).toMatch(/^sum by \(provider\) \(rate\(writ_writes_\w+_total\{/);
    }
  });

  it("shows failures by provider and object", () => {
    const exprs = queryPanels.flatMap(exprsOf);
    expect(exprs).toContainEqual(
      expect.stringMatching(/sum by \(provider, object\) \(rate\(writ_writes_failed_total/),
    );
  });

  it("shows p50, p95 and p99 of end-to-end latency from the histogram", () => {
    const quantiles = queryPanels
      .map((panel) =>
        exprsOf(panel)
          .map((expr) =>
            /^histogram_quantile\((0\.\d+), sum by \(le\) \(rate\(writ_write_duration_seconds_bucket/.exec(
              expr,
            ),
          )
          .map((match) => match?.[1]),
      )
      .find((found) => found.every(Boolean) && found.length === 3);
    expect(quantiles).toEqual(["0.5", "0.95", "0.99"]);
  });

  it("shows provider latency by status, queue depth by state, throttling and webhooks", () => {
    const exprs = queryPanels.flatMap(exprsOf);
    const expected = [
      /histogram_quantile\(0\.95, sum by \(le, provider, status\) \(rate\(writ_provider_request_duration_seconds_bucket/,
      /by \(state\) \(writ_queue_jobs\)/,
      /histogram_quantile\(0\.\d+, sum by \(le, provider\) \(rate\(writ_rate_limit_wait_seconds_bucket/,
      /sum by \(provider\) \(rate\(writ_provider_rate_limited_total/,
      /sum by \(outcome\) \(rate\(writ_webhook_deliveries_total/,
    ];
    for (const pattern of expected) expect(exprs).toContainEqual(expect.stringMatching(pattern));
  });

  it("lays panels out on the 24-column grid without overlaps", () => {
    const cells = new Set<string>();
    for (const panel of allPanels) {
      const { x, y, w, h } = panel.gridPos;
      expect(x + w, panel.title).toBeLessThanOrEqual(24);
      for (let row = y; row < y + h; row++) {
        for (let column = x; column < x + w; column++) {
          const cell = `${row}:${column}`;
          expect(cells.has(cell), `${panel.title} overlaps at ${cell}`).toBe(false);
          cells.add(cell);
        }
      }
    }
  });
});

describe("promqlUse", () => {
  it("separates series, labels and functions", () => {
    expect(
      promqlUse(
        'histogram_quantile(0.95, sum by (le, provider) (rate(writ_rate_limit_wait_seconds_bucket{provider=~"$provider"}[$__rate_interval])))',
      ),
    ).toEqual({
      series: ["writ_rate_limit_wait_seconds_bucket"],
      labels: ["provider", "le", "provider"],
      unknownFunctions: [],
    });
  });

  it("catches a misspelt metric, an unknown function and a Grafana variable query", () => {
    expect(promqlUse("sum(rate(writ_write_total[5m]))").series).toEqual(["writ_write_total"]);
    expect(promqlUse("predict_linear(writ_queue_jobs[1h], 60)").unknownFunctions).toEqual([
      "predict_linear",
    ]);
    expect(promqlUse('label_values(writ_writes_accepted_total{provider=~"$p"}, object)')).toEqual({
      series: ["writ_writes_accepted_total"],
      labels: ["object", "provider"],
      unknownFunctions: [],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes manifests

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  ports?: Array<{ name: string; containerPort: number }>;
  env?: Array<{ name: string; value: string }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  restartPolicy?: string;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: Array<{ name: string }>;
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: PodSpec;
}

const k8sDir = "infra/k8s";
const k8sFiles = readdirSync(join(root, k8sDir)).filter((file) => /\.ya?ml$/.test(file));
const manifests = new Map<string, K8sObject[]>(
  k8sFiles.map((file) => [
    file,
    parseAllDocuments(read(`${k8sDir}/${file}`)).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      return doc.toJS() as K8sObject;
    }),
  ]),
);
const kustomization = manifests.get("kustomization.yaml")?.[0] as unknown as {
  namespace: string;
  resources: string[];
  images: Array<{ name: string; newName?: string; newTag?: string }>;
};

function k8sObject(kind: string, name: string): K8sObject {
  for (const objects of manifests.values()) {
    const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
    if (found) return found;
  }
  throw new Error(`no ${kind} ${name} in ${k8sDir}`);
}

function podTemplate(object: K8sObject): PodTemplate {
  return (object.spec as { template: PodTemplate }).template;
}

const workloads = [k8sObject("Deployment", "writ-api"), k8sObject("Deployment", "writ-worker")];
const allPodSpecs = [...workloads, k8sObject("Job", "writ-migrate")].map(podTemplate);
const configMap = k8sObject("ConfigMap", "writ-config") as K8sObject & { data: Env };
const exampleSecret = k8sObject("Secret", "writ-secrets") as K8sObject & { stringData: Env };

/** What a container sees in its environment: its ConfigMap and Secret, then its own env. */
function containerEnv(container: Container): Env {
  const env: Env = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      expect(source.configMapRef.name).toBe(configMap.metadata.name);
      Object.assign(env, configMap.data);
    }
    if (source.secretRef) {
      expect(source.secretRef.name).toBe(exampleSecret.metadata.name);
      Object.assign(env, exampleSecret.stringData);
    }
  }
  for (const variable of container.env ?? []) env[variable.name] = variable.value;
  return env;
}

function probePort(container: Container, probe: Probe | undefined): number | undefined {
  const port = probe?.httpGet.port;
  if (typeof port === "number") return port;
  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

describe("infra/k8s", () => {
  it("lists every manifest in kustomization.yaml, except the example secret", () => {
    const manifestFiles = k8sFiles.filter(
      (file) => file !== "kustomization.yaml" && file !== "secret.example.yaml",
    );
    expect([...kustomization.resources].sort()).toEqual(manifestFiles.sort());
    expect(kustomization.resources).not.toContain("secret.example.yaml");
  });

  it("holds the expected kinds, all in the writ namespace", () => {
    const kinds = [...manifests.entries()]
      .filter(([file]) => file !== "kustomization.yaml")
      .flatMap(([, objects]) => objects.map((object) => `${object.kind}/${object.metadata.name}`));
    expect(kinds.sort()).toEqual(
      [
        "ConfigMap/writ-config",
        "Deployment/writ-api",
        "Deployment/writ-worker",
        "Job/writ-migrate",
        "Namespace/writ",
        "PodDisruptionBudget/writ-api",
        "Secret/writ-secrets",
        "Service/writ-api",
      ].sort(),
    );
    expect(kustomization.namespace).toBe(k8sObject("Namespace", "writ").metadata.name);
  });

  it("runs one image everywhere, named as kustomization.yaml rewrites it", () => {
    const images = new Set(allPodSpecs.flatMap((pod) => pod.spec.containers.map((c) => c.image)));
    expect(images.size).toBe(1);
    const [image] = [...images] as [string];
    expect(kustomization.images.map((entry) => entry.name)).toEqual([image.split(":")[0]]);
  });

  it("runs the same entry points as compose, keeping the image's init process", () => {
    for (const pod of allPodSpecs) {
      for (const container of pod.spec.containers) {
        expect(container.command, container.name).toBeUndefined();
        expect(container.args).toEqual(service(container.name).command);
        expect(container.args).toEqual([
          "node",
          ...(nodeFlags[container.name] ?? []),
          `dist/${container.name}.mjs`,
        ]);
      }
    }
  });

  it("probes /healthz for liveness and /readyz for readiness on the port each process listens on", () => {
    const listensOn = (container: Container, env: Env) =>
      Number(container.name === "api" ? env.PORT : env.WRIT_WORKER_PORT);
    for (const workload of workloads) {
      const [container] = podTemplate(workload).spec.containers as [Container];
      const port = listensOn(container, containerEnv(container));
      expect(port).toBe(container.name === "api" ? 3000 : 3001);
      expect(container.livenessProbe?.httpGet.path).toBe("/healthz");
      expect(container.readinessProbe?.httpGet.path).toBe("/readyz");
      for (const probe of [
        container.livenessProbe,
        container.readinessProbe,
        container.startupProbe,
      ]) {
        expect(probePort(container, probe), workload.metadata.name).toBe(port);
      }
    }
  });

  it("gives the API and the workers every setting they need in production", () => {
    for (const workload of workloads) {
      const [container] = podTemplate(workload).spec.containers as [Container];
      const env = containerEnv(container);
      const parsed = container.name === "api" ? parseApiEnv(env) : parseWorkerEnv(env);
      expect(parsed.NODE_ENV).toBe("production");
      expect(parsed.WRIT_ENCRYPTION_KEY).toBeDefined();
    }
  });

  it("ships only placeholders in the example secret", () => {
    for (const [key, value] of Object.entries(exampleSecret.stringData)) {
      expect(value, key).toMatch(/CHANGE_ME/);
    }
    expect(Object.keys(exampleSecret.stringData).sort()).toEqual(
      ["DATABASE_URL", "REDIS_URL", "WRIT_ADMIN_TOKEN", "WRIT_ENCRYPTION_KEY"].sort(),
    );
  });

  it("sets requests and limits and a non-root, unprivileged security context on every pod", () => {
    for (const pod of allPodSpecs) {
      expect(pod.spec.securityContext?.runAsNonRoot).toBe(true);
      expect(pod.spec.securityContext?.runAsUser).toBeGreaterThan(0);
      for (const container of pod.spec.containers) {
        expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(["cpu", "memory"]);
        expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(["cpu", "memory"]);
        expect(container.securityContext?.allowPrivilegeEscalation, container.name).toBe(false);
        expect(container.securityContext?.capabilities?.drop).toEqual(["ALL"]);
        if (container.securityContext?.readOnlyRootFilesystem) {
          const tmp = container.volumeMounts?.find((mount) => mount.mountPath === "/tmp");
          expect(tmp, `${container.name} needs a writable /tmp`).toBeDefined();
          expect(pod.spec.volumes?.map((volume) => volume.name)).toContain(tmp?.name);
        }
      }
    }
  });

  it("gives workers a minute to finish their active jobs", () => {
    const worker = podTemplate(k8sObject("Deployment", "writ-worker"));
    expect(worker.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(60);
  });

  it("selects the API pods from the Deployment, Service and PodDisruptionBudget alike", () => {
    const api = k8sObject("Deployment", "writ-api");
    const podLabels = podTemplate(api).metadata.labels;
    const selectors = [
      (api.spec as { selector: { matchLabels: Env } }).selector.matchLabels,
      (k8sObject("Service", "writ-api").spec as { selector: Env }).selector,
      (k8sObject("PodDisruptionBudget", "writ-api").spec as { selector: { matchLabels: Env } })
        .selector.matchLabels,
    ];
    for (const selector of selectors) {
      expect(Object.keys(selector).length).toBeGreaterThan(0);
      expect(podLabels).toMatchObject(selector);
    }
    const worker = k8sObject("Deployment", "writ-worker");
    const workerSelector = (worker.spec as { selector: { matchLabels: Env } }).selector.matchLabels;
    expect(podTemplate(worker).metadata.labels).toMatchObject(workerSelector);
    expect(podLabels).not.toMatchObject(workerSelector);

    const [container] = podTemplate(api).spec.containers as [Container];
    const servicePorts = (
      k8sObject("Service", "writ-api").spec as {
        ports: Array<{ targetPort: string }>;
      }
    ).ports;
    for (const port of servicePorts) {
      expect(container.ports?.map((candidate) => candidate.name)).toContain(port.targetPort);
    }
    const pdb = k8sObject("PodDisruptionBudget", "writ-api").spec as { minAvailable: number };
    const replicas = (api.spec as { replicas: number }).replicas;
    expect(pdb.minAvailable).toBeLessThan(replicas);
  });
});

// ---------------------------------------------------------------------------------------------
// The Dockerfile and .dockerignore

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function dockerfileInstructions(text: string): Instruction[] {
  const joined = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: (keyword as string).toUpperCase(), args: rest.join(" ") };
    });
}

describe("infra/docker/Dockerfile", () => {
  const instructions = dockerfileInstructions(read("infra/docker/Dockerfile"));
  const fromIndexes = instructions.flatMap((ins, index) => (ins.keyword === "FROM" ? [index] : []));
  const finalStage = instructions.slice(fromIndexes.at(-1));
  const globalArgs = Object.fromEntries(
    instructions
      .slice(0, fromIndexes[0])
      .filter((ins) => ins.keyword === "ARG")
      .map((ins) => ins.args.split("=") as [string, string]),
  );
  const stageNames = instructions
    .filter((ins) => ins.keyword === "FROM")
    .map((ins) => /\bAS\s+(\S+)/i.exec(ins.args)?.[1]);

  it("builds every stage on node:20-bookworm-slim", () => {
    for (const index of fromIndexes) {
      const image = interpolate(
        (instructions[index] as Instruction).args.split(/\s+/)[0] as string,
        globalArgs,
      );
      expect(image === "node:20-bookworm-slim" || stageNames.includes(image), image).toBe(true);
    }
    expect(globalArgs.NODE_IMAGE).toBe("node:20-bookworm-slim");
  });

  it("installs from the lock file with the npm version package.json names", () => {
    const runs = instructions.filter((ins) => ins.keyword === "RUN").map((ins) => ins.args);
    expect(runs).toContainEqual(expect.stringMatching(/\bnpm ci\b/));
    expect(runs.join("\n")).not.toMatch(/\bnpm install\b(?! --global)/);
    const packageManager = (JSON.parse(read("package.json")) as { packageManager: string })
      .packageManager;
    const npmVersion = instructions
      .filter((ins) => ins.keyword === "ARG" && ins.args.startsWith("NPM_VERSION="))
      .map((ins) => ins.args.split("=")[1]);
    expect(npmVersion).toEqual([packageManager.replace(/^npm@/, "")]);
  });

  it("keeps the postinstall step's inputs in the install stage", () => {
    const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
    const postinstallScript = /node (\S+)/.exec(pkg.scripts.postinstall ?? "")?.[1] as string;
    const generate = read(postinstallScript);
    const stub = /new URL\("\.\/([^"]+)"/.exec(generate)?.[1] as string;
    const schema = /schema:\s*"([^"]+)"/.exec(read("prisma.config.ts"))?.[1] as string;
    const kept = instructions
      .filter((ins) => ins.keyword === "RUN" && ins.args.includes("find"))
      .map((ins) => ins.args)
      .join(" ");
    for (const path of [
      "package-lock.json",
      ".npmrc",
      "prisma.config.ts",
      postinstallScript,
      posix.join(posix.dirname(postinstallScript), stub),
      schema,
    ]) {
      expect(existsSync(join(root, path)), path).toBe(true);
      expect(kept, path).toContain(`! -path ./${path}`);
    }
    expect(kept).toContain("! -name package.json");
  });

  it("compiles the processes in a build stage and ships its dist/ in the final image", () => {
    const builder = fromIndexes.find((start, index) =>
      instructions
        .slice(start, fromIndexes[index + 1])
        .some((ins) => ins.keyword === "RUN" && /\bnpm run build\b/.test(ins.args)),
    );
    const builderName = /\bAS\s+(\S+)/i.exec(instructions[builder ?? -1]?.args ?? "")?.[1];
    expect(builderName).toBeDefined();
    expect(finalStage).toContainEqual({
      keyword: "COPY",
      args: `--from=${builderName} /app/dist ./dist`,
    });
    // A local dist/ must not reach the image: it would be stale or from another platform.
    expect(read(".dockerignore").split("\n")).toContain("dist");
    expect(JSON.parse(read("package.json")).scripts.build).toMatch(/scripts\/build\.ts/);
  });

  it("runs production mode as the node user under tini, the API by default", () => {
    const keywords = finalStage.map((ins) => ins.keyword);
    expect(finalStage.filter((ins) => ins.keyword === "USER").map((ins) => ins.args)).toEqual([
      "node",
    ]);
    expect(keywords.lastIndexOf("USER")).toBeGreaterThan(keywords.lastIndexOf("COPY"));
    expect(keywords.lastIndexOf("USER")).toBeGreaterThan(keywords.lastIndexOf("RUN"));
    expect(finalStage).toContainEqual({ keyword: "ENV", args: "NODE_ENV=production" });
    const entrypoint = finalStage.find((ins) => ins.keyword === "ENTRYPOINT")?.args ?? "[]";
    expect(JSON.parse(entrypoint)).toEqual(["/usr/bin/tini", "--"]);
    expect(
      finalStage.some((ins) => ins.keyword === "RUN" && /install .*\btini\b/.test(ins.args)),
    ).toBe(true);
    const cmd = JSON.parse(finalStage.find((ins) => ins.keyword === "CMD")?.args ?? "[]");
    expect(cmd).toEqual(service("api").command);
  });

  it("keeps dependencies, local state and secrets out of the build context", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    for (const entry of [
      "**/node_modules",
      ".git",
      ".writ",
      "bench/results",
      "test-artifacts",
      "*.log",
      ".env",
    ]) {
      expect(ignored, entry).toContain(entry);
    }
    // The build copies the lock file and the Prisma schema in; ignoring them would break it.
    for (const needed of ["package-lock.json", "prisma", "scripts", "apps", "packages"]) {
      expect(ignored, needed).not.toContain(needed);
      expect(existsSync(join(root, needed)), needed).toBe(true);
    }
  });
});
