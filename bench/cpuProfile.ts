// Summarises a V8 .cpuprofile (from `node --cpu-prof`, or `npm run bench -- --cpu-prof api`):
// the functions where the process spent its own time, heaviest first.
//   npx tsx bench/cpuProfile.ts bench/results/profiles/api-<time>.cpuprofile [top]
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "./processes";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  functionName: string;
  location: string;
  selfMs: number;
  share: number;
}

/**
 * The source modules of a compiled bundle (dist/*.mjs), by line: esbuild starts each bundled
 * module with a `// <path>` comment, so a line belongs to the last such comment above it.
 */
const bundleModules = new Map<string, Array<{ line: number; module: string }>>();

function bundledModuleAt(path: string, line: number): string | undefined {
  let modules = bundleModules.get(path);
  if (!modules) {
    modules = [];
    try {
      readFileSync(path, "utf8")
        .split("\n")
        .forEach((text, index) => {
          const marker = /^\/\/ ((?:apps|packages|bench|scripts)\/\S+\.ts)$/.exec(text);
          if (marker) modules?.push({ line: index, module: marker[1] as string });
        });
    } catch {
      // not readable: locations stay in bundle coordinates
    }
    bundleModules.set(path, modules);
  }
  let found: string | undefined;
  for (const entry of modules) {
    if (entry.line > line) break;
    found = entry.module;
  }
  return found;
}

function location(url: string, line: number): string {
  if (!url) return "(native)";
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const shown = path.startsWith(repoRoot) ? relative(repoRoot, path) : path;
  if (/^dist\/.*\.mjs$/.test(shown)) {
    const module = bundledModuleAt(path, line);
    if (module) return `${module} (${shown}:${line + 1})`;
  }
  return `${shown.replace(/^.*node_modules\//, "node_modules/")}:${line + 1}`;
}

export function selfTimes(file: string): { totalMs: number; functions: SelfTime[] } {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, { functionName: string; location: string; us: number }>();
  let totalUs = 0;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const node = byNode.get(nodeId);
    if (!node) return;
    const name = node.callFrame.functionName || "(anonymous)";
    if (name === "(idle)") return;
    totalUs += delta;
    const where = location(node.callFrame.url, node.callFrame.lineNumber);
    const key = `${name} ${where}`;
    const entry = selfUs.get(key) ?? { functionName: name, location: where, us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
  });
  const functions = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .map((entry) => ({
      functionName: entry.functionName,
      location: entry.location,
      selfMs: entry.us / 1000,
      share: totalUs > 0 ? entry.us / totalUs : 0,
    }));
  return { totalMs: totalUs / 1000, functions };
}

/** Where a function lives, coarsely: an npm package, a workspace package, Node, or V8. */
function origin(entry: SelfTime): string {
  const where = entry.location;
  const dependency = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (dependency) return dependency[1] as string;
  const workspace = /^((?:apps|packages)\/[^/]+)\//.exec(where);
  if (workspace) return workspace[1] as string;
  if (where.startsWith("node:")) return "node internals";
  if (entry.functionName === "(garbage collector)") return "garbage collector";
  return "native / V8";
}

export function selfTimeTable(file: string, top = 20): string {
  const { totalMs, functions } = selfTimes(file);
  const byOrigin = new Map<string, number>();
  for (const entry of functions) {
    byOrigin.set(origin(entry), (byOrigin.get(origin(entry)) ?? 0) + entry.selfMs);
  }
  const lines = [
    `${relative(repoRoot, file)}: ${(totalMs / 1000).toFixed(1)} s of busy samples`,
    "",
    "| self % | self ms | function | where |",
    "| --: | --: | --- | --- |",
  ];
  for (const entry of functions.slice(0, top)) {
    lines.push(
      `| ${(entry.share * 100).toFixed(1)} | ${entry.selfMs.toFixed(0)} | ${entry.functionName} | ${entry.location} |`,
    );
  }
  lines.push("", "| self % | by origin |", "| --: | --- |");
  for (const [name, ms] of [...byOrigin].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    lines.push(`| ${((ms / totalMs) * 100).toFixed(1)} | ${name} |`);
  }
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error("usage: tsx bench/cpuProfile.ts <file.cpuprofile> [top]");
    process.exit(2);
  }
  console.log(selfTimeTable(file, top ? Number(top) : 25));
}
