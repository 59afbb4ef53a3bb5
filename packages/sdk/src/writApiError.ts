/** One issue of a validation problem: where it is (`in`, `name`, and for YAML sources line and column). */
export interface ProblemIssue {
  in: string;
  name: string;
  detail: string;
  value?: unknown;
  line?: number;
  column?: number;
  severity?: "error" | "warning";
}

/** An RFC 9457 problem, as the API answers every error. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  retryable?: boolean;
  issues?: ProblemIssue[];
  context?: Record<string, unknown>;
}

/** `body batch[3].record.id: required` or, for a YAML source, `line 3, column 5: ...`. */
export function describeIssue(issue: ProblemIssue): string {
  const where =
    issue.line !== undefined
      ? `line ${issue.line}${issue.column !== undefined ? `, column ${issue.column}` : ""}`
      : `${issue.in} ${issue.name}`;
  const severity = issue.severity === "warning" ? " (warning)" : "";
  return `${where}${severity}: ${issue.detail}`;
}

/** The problem's detail, then each issue on its own line. */
export function describeProblem(problem: Problem): string {
  const issues = (problem.issues ?? []).map((issue) => `  ${describeIssue(issue)}`);
  return [problem.detail, ...issues].join("\n");
}

/** The API answered an error. `problem` is what it said, `status` its HTTP status. */
export class WritApiError extends Error {
  override readonly name = "WritApiError";
  readonly status: number;

  constructor(readonly problem: Problem) {
    super(describeProblem(problem));
    this.status = problem.status;
  }
}

/** The API could not be reached at all (refused, reset, DNS, timeout): nothing was answered. */
export class WritConnectionError extends Error {
  override readonly name = "WritConnectionError";

  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`could not reach Writ at ${url}: ${reasonOf(cause)}`, { cause });
  }
}

function reasonOf(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // Node's fetch hides the socket error (ECONNREFUSED, ENOTFOUND, ...) one level down.
  const inner = (cause as { cause?: unknown }).cause;
  if (inner instanceof Error) {
    const code = (inner as { code?: string }).code;
    return code ? `${code} (${inner.message})` : inner.message;
  }
  return cause.message;
}

const problemTypePrefix = "urn:writ:problem:";

/**
 * The problem an error answer carries. Answers that are not problems (a proxy's HTML page, an
 * empty 502) become one, so callers handle a single shape.
 */
export function problemFromAnswer(
  status: number,
  statusText: string,
  contentType: string,
  text: string,
): Problem {
  const parsed = parseJson(text);
  if (isObject(parsed) && typeof parsed.detail === "string") {
    return {
      ...(parsed as Partial<Problem>),
      type: typeof parsed.type === "string" ? parsed.type : "about:blank",
      title: typeof parsed.title === "string" ? parsed.title : statusText,
      status: typeof parsed.status === "number" ? parsed.status : status,
      detail: parsed.detail,
    };
  }
  const excerpt = text.trim().replace(/\s+/g, " ").slice(0, 200);
  const kind = contentType ? ` (${contentType.split(";")[0]})` : "";
  return {
    type: "about:blank",
    title: statusText || `HTTP ${status}`,
    status,
    detail: `HTTP ${status} ${statusText}${kind}${excerpt ? `: ${excerpt}` : ""}`
      .replace(/ +/g, " ")
      .trim(),
  };
}

/** `urn:writ:problem:not-found` → `not-found`; other URIs pass through. */
export function problemKind(problem: Problem): string {
  return problem.type.startsWith(problemTypePrefix)
    ? problem.type.slice(problemTypePrefix.length)
    : problem.type;
}

export function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
