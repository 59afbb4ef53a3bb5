import type { ManifestProblem, ProblemPath } from "./problems";

const plainKey = /^[A-Za-z_$][\w$-]*$/;

/** `["integrations", 0, "write", "objects", 1]` → `integrations[0].write.objects[1]`. */
export function formatPath(path: ProblemPath): string {
  let formatted = "";
  for (const segment of path) {
    if (typeof segment === "number") formatted += `[${segment}]`;
    else if (plainKey.test(segment)) formatted += formatted === "" ? segment : `.${segment}`;
    else formatted += `[${JSON.stringify(segment)}]`;
  }
  return formatted;
}

/** Compiler-style, so editors and terminals can jump to the spot: `amp.yaml:12:5: error: ...`. */
export function formatProblem(problem: ManifestProblem, fileName: string): string {
  const where = problem.path.length > 0 ? ` (at ${formatPath(problem.path)})` : "";
  return `${fileName}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message}${where}`;
}
