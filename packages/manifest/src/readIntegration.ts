import { isProviderName, providerNames } from "@writ/contracts";
import { closestName } from "./closestName";
import type { IntegrationManifest, ProxyAction } from "./manifest";
import type { Located, NodeReader } from "./nodeReader";
import { omitUndefined } from "./omitUndefined";
import { readActionObjects } from "./readActionObjects";
import { readReadObject } from "./readReadObject";
import { readSubscribeObject } from "./readSubscribeObject";
import { readWatchSchema } from "./readWatchSchema";
import { readWriteObject } from "./readWriteObject";

const actionKeys = ["read", "write", "subscribe", "proxy"] as const;

export function readIntegration(reader: NodeReader, at: Located): IntegrationManifest | undefined {
  const integration = reader.mapping(at, {
    name: "an integration",
    keys: ["name", "provider", "displayName", "module", ...actionKeys, "watchSchema"],
    required: ["name", "provider"],
  });
  if (integration === undefined) return undefined;

  const name = reader.string(integration.get("name"), { nonEmpty: true });
  const provider = readProvider(reader, integration.get("provider"));
  if (!actionKeys.some((key) => integration.has(key))) {
    reader.error(
      "integration-without-actions",
      `${name === undefined ? "an integration" : `integration "${name}"`} has no action; ` +
        "add read, write, subscribe or proxy",
      at,
    );
  }
  const optional = omitUndefined({
    displayName: reader.string(integration.get("displayName")),
    module: reader.string(integration.get("module"), { nonEmpty: true }),
    read: readActionObjects(reader, integration.get("read"), "read", readReadObject),
    write: readActionObjects(reader, integration.get("write"), "write", readWriteObject),
    subscribe: readActionObjects(
      reader,
      integration.get("subscribe"),
      "subscribe",
      readSubscribeObject,
    ),
    proxy: readProxy(reader, integration.get("proxy")),
    watchSchema: readWatchSchema(reader, integration.get("watchSchema")),
  });
  if (name === undefined || provider === undefined) return undefined;
  return { name, provider, ...optional };
}

function readProvider(reader: NodeReader, at: Located | undefined) {
  const provider = reader.string(at, { nonEmpty: true });
  if (provider === undefined || at === undefined) return undefined;
  if (isProviderName(provider)) return provider;
  const suggestion = closestName(provider, providerNames);
  reader.error(
    "unknown-provider",
    `unknown provider "${provider}"; known providers: ${providerNames.join(", ")}` +
      (suggestion ? ` (did you mean "${suggestion}"?)` : ""),
    at,
  );
  return undefined;
}

function readProxy(reader: NodeReader, at: Located | undefined): ProxyAction | undefined {
  const proxy = reader.mapping(at, { name: "a proxy action", keys: ["enabled", "useModule"] });
  if (proxy === undefined) return undefined;
  return omitUndefined({
    enabled: reader.boolean(proxy.get("enabled")),
    useModule: reader.boolean(proxy.get("useModule")),
  });
}
