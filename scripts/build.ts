// `npm run build`: compiles each Writ process into one ES module under dist/, the way it is
// deployed (`node dist/api.mjs`). Writ's own workspace packages are bundled in; npm dependencies
// stay imports resolved from node_modules. Nothing is minified, so a stack trace names the real
// function, and each file carries a source map for `node --enable-source-maps`.
//
// Running the compiled file instead of the TypeScript through tsx spares each process tsx's
// module-hook thread and its transpile caches: about 40 MB of resident memory per process.
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Output name → entry file. */
export const entries: Record<string, string> = {
  api: "apps/api/src/main.ts",
  worker: "apps/worker/src/main.ts",
  sandbox: "apps/sandbox/src/main.ts",
  migrate: "scripts/migrate.ts",
};

/**
 * Node flags each process is deployed with (docker-compose.yml, the Dockerfile and the Kubernetes
 * manifests say the same; the benchmark runs them so). The API's live heap under load is about
 * 55 MB, but left to itself V8 lets short-lived request garbage pile up to about 220 MB of old
 * space between full collections; a 128 MB cap keeps its resident memory near 200 MB under 100
 * connections at the same throughput.
 */
export const nodeFlags: Record<string, string[]> = {
  api: ["--max-old-space-size=128"],
};

/**
 * Bundles `entries` (output name → entry file, relative to the repository root) into `outdir`,
 * replacing what was there. Returns each output file with its size in bytes.
 */
export async function bundle(
  entries: Record<string, string>,
  outdir: string,
): Promise<Array<{ file: string; bytes: number }>> {
  const target = resolve(root, outdir);
  rmSync(target, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: target,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.11",
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    plugins: [
      {
        // Bare imports other than @writ/* are npm packages: left to Node's resolver.
        name: "npm-packages-external",
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@writ/") ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith(".mjs"))
    .map(([file, output]) => ({ file, bytes: output.bytes }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const outputs = await bundle(entries, "dist");
  for (const { file, bytes } of outputs) {
    console.log(`${file.padEnd(20)} ${(bytes / 1024).toFixed(0).padStart(5)} KiB`);
  }
  console.log(`built ${outputs.length} entries in ${Date.now() - started} ms`);
}
