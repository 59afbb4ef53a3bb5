import { describeIssue, type ProblemIssue, WritApiError, WritConnectionError } from "@writ/sdk";
import { InvalidEnvironmentError } from "../env";

export interface ErrorReportContext {
  /** The manifest a deploy sent, so issues with a line read `amp.yaml:3:5: error: ...`. */
  sourceFile?: string;
}

/** What the user sees when a command fails: the reason, each issue with its location, and a hint. */
export function formatErrorReport(error: unknown, context: ErrorReportContext = {}): string {
  if (error instanceof WritApiError) {
    const { problem } = error;
    const lines = [`error: ${problem.detail}`];
    for (const issue of problem.issues ?? [])
      lines.push(`  ${describeLocatedIssue(issue, context)}`);
    const hint = hintFor(error);
    if (hint) lines.push(`hint: ${hint}`);
    if (problem.status >= 500 && problem.requestId) lines.push(`request id: ${problem.requestId}`);
    return lines.join("\n");
  }
  if (error instanceof WritConnectionError) {
    return `error: ${error.message}\nhint: is the API running? Point the CLI at it with --url or WRIT_API_URL.`;
  }
  if (error instanceof InvalidEnvironmentError) return `error: ${error.message}`;
  if (error instanceof Error) return `error: ${error.message}`;
  return `error: ${String(error)}`;
}

function describeLocatedIssue(issue: ProblemIssue, context: ErrorReportContext): string {
  if (issue.line !== undefined && context.sourceFile !== undefined) {
    return `${context.sourceFile}:${issue.line}:${issue.column ?? 1}: ${issue.severity ?? "error"}: ${issue.detail}`;
  }
  return describeIssue(issue);
}

function hintFor(error: WritApiError): string | undefined {
  const detail = error.problem.detail;
  if (error.status === 401) {
    if (detail.includes("admin token")) {
      return detail.includes("API key")
        ? "pass an API key with --key (or WRIT_API_KEY), or the admin token with --admin-token (or WRIT_ADMIN_TOKEN)"
        : "pass the admin token with --admin-token or WRIT_ADMIN_TOKEN";
    }
    return "pass a project API key with --key or WRIT_API_KEY";
  }
  if (error.status === 404 && detail.startsWith("no endpoint")) {
    return "this Writ server does not have that endpoint; it may be an older version";
  }
  return undefined;
}
