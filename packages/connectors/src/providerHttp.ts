import { classifyNetworkError } from "./errors";

export const defaultTimeoutMs = 30_000;

export interface HttpRequest {
  url: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  headers: Record<string, string>;
  body?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** A provider's answer with the body already read: parsed JSON, raw text, or undefined if empty. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * One HTTP exchange. Never throws on an HTTP status (the caller classifies those with the
 * provider's rules); throws a `retry` ProviderError when no complete response arrived.
 */
export async function sendHttp(request: HttpRequest): Promise<HttpResponse> {
  const doFetch = request.fetch ?? fetch;
  try {
    const response = await doFetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined && { body: request.body }),
      signal: AbortSignal.timeout(request.timeoutMs ?? defaultTimeoutMs),
    });
    // Reading the body can fail too (connection reset mid-response), so it stays in the try.
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parseBody(text) };
  } catch (error) {
    throw classifyNetworkError(error);
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function joinUrl(
  baseUrl: string,
  path: string,
  query?: Record<string, string | undefined>,
): string {
  const url = `${baseUrl.replace(/\/+$/, "")}${path}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, value);
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** A JSON object from a provider body, or an empty one when the body is anything else. */
export function asJsonObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
