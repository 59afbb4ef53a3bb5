import type {
  ConnectionFilter,
  CreateApiKeyRequest,
  CreateInstallationRequest,
  CreateProjectRequest,
  GenerateConnectionRequest,
  InstallationFilter,
  OperationFilter,
  UpdateConnectionRequest,
  UpdateInstallationRequest,
  UpdateProjectRequest,
  WriteOptions,
  WriteRequestInput,
} from "./requests";
import type {
  ApiKey,
  Connection,
  CreatedApiKey,
  Installation,
  Integration,
  Operation,
  OperationPage,
  OperationSummary,
  Project,
  UpdatedProject,
  WriteAccepted,
  WriteAnswer,
  WriteResponse,
} from "./resources";
import {
  isObject,
  parseJson,
  problemFromAnswer,
  WritApiError,
  WritConnectionError,
} from "./writApiError";

export interface WritClientOptions {
  /** Where the API listens, e.g. `http://127.0.0.1:3000` (a path prefix is kept). */
  baseUrl: string;
  /** A project's API key, sent as `X-Api-Key`. Needed by every project endpoint. */
  apiKey?: string;
  /**
   * The deployment's admin token, sent as `Authorization: Bearer`. Needed to create projects;
   * where either credential works it is preferred, so it also reaches projects without a key.
   */
  adminToken?: string;
  /** Injectable for tests and for runtimes with their own fetch; defaults to the global one. */
  fetch?: typeof fetch;
  userAgent?: string;
}

/** Which credential an endpoint accepts. */
type Credential = "admin" | "apiKey" | "either";

interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  credential: Credential;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

interface RawAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

const defaultUserAgent = "writ-sdk/0.1.0";
const seg = encodeURIComponent;

/** A typed client of Writ's HTTP API: one method per endpoint. Errors are `WritApiError`s. */
export class WritClient {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #adminToken: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #userAgent: string;

  constructor(options: WritClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#apiKey = options.apiKey || undefined;
    this.#adminToken = options.adminToken || undefined;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#userAgent = options.userAgent ?? defaultUserAgent;
  }

  // Projects

  /** Needs the admin token. */
  async createProject(body: CreateProjectRequest): Promise<Project> {
    return this.#json({ method: "POST", path: "/v1/projects", credential: "admin", body });
  }

  /** Every project with the admin token; with an API key, its own project only. */
  async listProjects(): Promise<Project[]> {
    return this.#json({ method: "GET", path: "/v1/projects", credential: "either" });
  }

  async getProject(project: string): Promise<Project> {
    return this.#json({ method: "GET", path: projectPath(project), credential: "either" });
  }

  /** Setting a webhook URL for the first time answers its signing secret, once. */
  async updateProject(project: string, body: UpdateProjectRequest): Promise<UpdatedProject> {
    return this.#json({ method: "PATCH", path: projectPath(project), credential: "either", body });
  }

  // API keys

  /** The key itself is in this answer only. */
  async createApiKey(project: string, body: CreateApiKeyRequest): Promise<CreatedApiKey> {
    return this.#json({
      method: "POST",
      path: `${projectPath(project)}/api-keys`,
      credential: "either",
      body,
    });
  }

  async listApiKeys(project: string): Promise<ApiKey[]> {
    return this.#json({
      method: "GET",
      path: `${projectPath(project)}/api-keys`,
      credential: "either",
    });
  }

  async revokeApiKey(project: string, keyId: string): Promise<void> {
    await this.#send({
      method: "DELETE",
      path: `${projectPath(project)}/api-keys/${seg(keyId)}`,
      credential: "either",
    });
  }

  // Integrations

  /** Deploys an amp.yaml: each integration gets a new revision. A bad manifest is a 422 listing every problem. */
  async deployManifest(project: string, sourceYaml: string): Promise<Integration[]> {
    return this.#json({
      method: "PUT",
      path: `${projectPath(project)}/integrations:batch`,
      credential: "apiKey",
      body: { sourceYaml },
    });
  }

  async listIntegrations(project: string): Promise<Integration[]> {
    return this.#json({
      method: "GET",
      path: `${projectPath(project)}/integrations`,
      credential: "apiKey",
    });
  }

  /** By id or by name. */
  async getIntegration(project: string, integration: string): Promise<Integration> {
    return this.#json({
      method: "GET",
      path: integrationPath(project, integration),
      credential: "apiKey",
    });
  }

  /** Deletes the integration with its revisions and installations. */
  async deleteIntegration(project: string, integration: string): Promise<void> {
    await this.#send({
      method: "DELETE",
      path: integrationPath(project, integration),
      credential: "apiKey",
    });
  }

  // Connections

  async generateConnection(project: string, body: GenerateConnectionRequest): Promise<Connection> {
    return this.#json({
      method: "POST",
      path: `${projectPath(project)}/connections:generate`,
      credential: "apiKey",
      body,
    });
  }

  async listConnections(project: string, filter: ConnectionFilter = {}): Promise<Connection[]> {
    return this.#json({
      method: "GET",
      path: `${projectPath(project)}/connections`,
      credential: "apiKey",
      query: { groupRef: filter.groupRef, provider: filter.provider },
    });
  }

  async getConnection(project: string, connectionId: string): Promise<Connection> {
    return this.#json({
      method: "GET",
      path: connectionPath(project, connectionId),
      credential: "apiKey",
    });
  }

  /** Rotates credentials or changes settings; only the fields named in `updateMask` change. */
  async updateConnection(
    project: string,
    connectionId: string,
    body: UpdateConnectionRequest,
  ): Promise<Connection> {
    return this.#json({
      method: "PATCH",
      path: connectionPath(project, connectionId),
      credential: "apiKey",
      body,
    });
  }

  async deleteConnection(project: string, connectionId: string): Promise<void> {
    await this.#send({
      method: "DELETE",
      path: connectionPath(project, connectionId),
      credential: "apiKey",
    });
  }

  // Installations

  async createInstallation(
    project: string,
    integration: string,
    body: CreateInstallationRequest,
  ): Promise<Installation> {
    return this.#json({
      method: "POST",
      path: `${integrationPath(project, integration)}/installations`,
      credential: "apiKey",
      body,
    });
  }

  async listInstallations(
    project: string,
    integration: string,
    filter: InstallationFilter = {},
  ): Promise<Installation[]> {
    return this.#json({
      method: "GET",
      path: `${integrationPath(project, integration)}/installations`,
      credential: "apiKey",
      query: { groupRef: filter.groupRef },
    });
  }

  async getInstallation(
    project: string,
    integration: string,
    installationId: string,
  ): Promise<Installation> {
    return this.#json({
      method: "GET",
      path: installationPath(project, integration, installationId),
      credential: "apiKey",
    });
  }

  /** Only the paths in `updateMask` change; `writeObjectConfig(...).patchBody()` builds one. */
  async updateInstallation(
    project: string,
    integration: string,
    installationId: string,
    body: UpdateInstallationRequest,
  ): Promise<Installation> {
    return this.#json({
      method: "PATCH",
      path: installationPath(project, integration, installationId),
      credential: "apiKey",
      body,
    });
  }

  async deleteInstallation(
    project: string,
    integration: string,
    installationId: string,
  ): Promise<void> {
    await this.#send({
      method: "DELETE",
      path: installationPath(project, integration, installationId),
      credential: "apiKey",
    });
  }

  // Writes and operations

  /**
   * Writes one record or a batch. Answers rather than throws when the provider refused the
   * records (422 with an `operationId`); throws `WritApiError` when Writ refused the request.
   */
  async write(
    project: string,
    integration: string,
    objectName: string,
    request: WriteRequestInput,
    options: WriteOptions = {},
  ): Promise<WriteAnswer> {
    const answer = await this.#send(
      {
        method: "POST",
        path: `${integrationPath(project, integration)}/objects/${seg(objectName)}`,
        credential: "apiKey",
        body: request,
        headers:
          options.idempotencyKey !== undefined ? { "Idempotency-Key": options.idempotencyKey } : {},
        signal: options.signal,
      },
      (status, body) => status === 422 && isObject(body) && typeof body.operationId === "string",
    );
    const location = answer.headers.get("location") ?? undefined;
    return {
      status: answer.status,
      body: answer.body as WriteResponse,
      ...(location !== undefined ? { location } : {}),
      replayed: answer.headers.get("idempotent-replayed") === "true",
    };
  }

  async getOperation(project: string, operationId: string): Promise<Operation> {
    return this.#json({
      method: "GET",
      path: operationPath(project, operationId),
      credential: "apiKey",
    });
  }

  /** One page, newest first; pass `pagination.nextPageToken` back as `cursor` for the next. */
  async listOperations(project: string, filter: OperationFilter = {}): Promise<OperationPage> {
    return this.#json({
      method: "GET",
      path: `${projectPath(project)}/operations`,
      credential: "apiKey",
      query: {
        groupRef: filter.groupRef,
        status: filter.status,
        objectName: filter.objectName,
        integrationId: filter.integrationId,
        cursor: filter.cursor,
        limit: filter.limit,
      },
    });
  }

  /** Every operation matching the filter, newest first, fetching pages as the caller iterates. */
  async *iterateOperations(
    project: string,
    filter: Omit<OperationFilter, "cursor"> = {},
  ): AsyncGenerator<OperationSummary, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.listOperations(project, { ...filter, ...(cursor ? { cursor } : {}) });
      yield* page.operations;
      cursor = page.pagination.done ? undefined : page.pagination.nextPageToken;
    } while (cursor);
  }

  /** Writes a finished operation's records again, as a new operation. */
  async replayOperation(project: string, operationId: string): Promise<WriteAccepted> {
    return this.#json({
      method: "POST",
      path: `${operationPath(project, operationId)}:replay`,
      credential: "apiKey",
    });
  }

  async #json<T>(spec: RequestSpec): Promise<T> {
    return (await this.#send(spec)).body as T;
  }

  /**
   * Sends one request; any status outside 2xx throws a `WritApiError` unless `isAnswer` says the
   * body is a regular answer (the write endpoint's 422 with an operation).
   */
  async #send(
    spec: RequestSpec,
    isAnswer?: (status: number, body: unknown) => boolean,
  ): Promise<RawAnswer> {
    const url = this.#url(spec.path, spec.query);
    const headers: Record<string, string> = {
      Accept: "application/json, application/problem+json",
      "User-Agent": this.#userAgent,
      ...this.#authHeaders(spec.credential),
      ...spec.headers,
    };
    let payload: string | undefined;
    if (spec.body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(spec.body);
    }
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: spec.method,
        headers,
        body: payload,
        signal: spec.signal,
      });
    } catch (error) {
      if ((error as { name?: string }).name === "AbortError") throw error;
      throw new WritConnectionError(this.baseUrl, error);
    }
    const text = await response.text();
    const contentType = response.headers.get("content-type") ?? "";
    if (response.ok)
      return { status: response.status, headers: response.headers, body: parseJson(text) };
    const body = parseJson(text);
    if (isAnswer?.(response.status, body) && !contentType.includes("problem+json")) {
      return { status: response.status, headers: response.headers, body };
    }
    throw new WritApiError(
      problemFromAnswer(response.status, response.statusText, contentType, text),
    );
  }

  #url(path: string, query: RequestSpec["query"]): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== "") params.set(name, String(value));
    }
    const search = params.toString();
    return `${this.baseUrl}${path}${search ? `?${search}` : ""}`;
  }

  /** Only the credential the endpoint takes is sent, so the admin token never travels needlessly. */
  #authHeaders(credential: Credential): Record<string, string> {
    const bearer = this.#adminToken ? { Authorization: `Bearer ${this.#adminToken}` } : undefined;
    const key = this.#apiKey ? { "X-Api-Key": this.#apiKey } : undefined;
    if (credential === "admin") return bearer ?? {};
    if (credential === "apiKey") return key ?? {};
    return bearer ?? key ?? {};
  }
}

function projectPath(project: string): string {
  return `/v1/projects/${seg(project)}`;
}

function integrationPath(project: string, integration: string): string {
  return `${projectPath(project)}/integrations/${seg(integration)}`;
}

function installationPath(project: string, integration: string, installationId: string): string {
  return `${integrationPath(project, integration)}/installations/${seg(installationId)}`;
}

function connectionPath(project: string, connectionId: string): string {
  return `${projectPath(project)}/connections/${seg(connectionId)}`;
}

function operationPath(project: string, operationId: string): string {
  return `${projectPath(project)}/operations/${seg(operationId)}`;
}
