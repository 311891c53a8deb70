/**
 * A minimal fetch-based GraphQL client: POST {query, variables}, `Authorization: Bearer <token>`,
 * and one error type that tells the UI what went wrong (sign-in, permission, network, ...).
 */

export type GraphQLErrorItem = {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { exception?: { code?: string }; code?: string; [key: string]: unknown };
};

export type GraphQLErrorKind =
  /** HTTP 401 or a token error: the Dashboard token is missing, invalid or expired. */
  | "unauthorized"
  /** The user (or the app) lacks a permission, e.g. MANAGE_CHANNELS. */
  | "forbidden"
  /** No answer: offline, DNS, CORS, server down. */
  | "network"
  /** An HTTP error without a GraphQL body (502, 500 HTML page, ...). */
  | "http"
  /** A GraphQL error in the body (syntax, validation, resolver). */
  | "graphql";

const TOKEN_ERROR_CODES = new Set([
  "InvalidTokenError",
  "ExpiredSignatureError",
  "DecodeError",
  "InvalidSignatureError",
  "JSONWebTokenError",
  "JSONWebTokenExpired",
  "PyJWTError",
  "UNAUTHENTICATED",
]);
const PERMISSION_ERROR_CODES = new Set(["PermissionDenied", "FORBIDDEN"]);

export class GraphQLRequestError extends Error {
  readonly kind: GraphQLErrorKind;
  readonly status?: number;
  readonly errors: GraphQLErrorItem[];

  constructor(kind: GraphQLErrorKind, message: string, options: { status?: number; errors?: GraphQLErrorItem[] } = {}) {
    super(message);
    this.name = "GraphQLRequestError";
    this.kind = kind;
    this.status = options.status;
    this.errors = options.errors ?? [];
  }
}

export function errorCode(error: GraphQLErrorItem): string | undefined {
  return error.extensions?.exception?.code ?? (error.extensions?.code as string | undefined);
}

/** Classify a failed response. Exported for tests. */
export function classifyErrors(status: number, errors: GraphQLErrorItem[]): GraphQLErrorKind {
  const codes = errors.map(errorCode);
  if (status === 401 || codes.some((code) => code && TOKEN_ERROR_CODES.has(code))) return "unauthorized";
  if (status === 403 || codes.some((code) => code && PERMISSION_ERROR_CODES.has(code))) return "forbidden";
  if (errors.length === 0) return "http";
  return "graphql";
}

export type GraphQLClientOptions = {
  url: string | (() => string);
  /** Read on every request, so a refreshed token is used at once. */
  getToken: () => string | null | undefined;
  fetch?: typeof fetch;
};

export type GraphQLClient = <TData, TVariables extends object = Record<string, unknown>>(
  query: string,
  variables?: TVariables,
) => Promise<TData>;

export function createGraphQLClient({ url, getToken, fetch: fetchImpl }: GraphQLClientOptions): GraphQLClient {
  const doFetch = fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  const once = async <TData>(query: string, variables: object | undefined, token: string | null | undefined) => {
    const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await doFetch(typeof url === "function" ? url() : url, {
        method: "POST",
        headers,
        body: JSON.stringify({ query, variables: variables ?? {} }),
        credentials: "omit",
      });
    } catch (cause) {
      throw new GraphQLRequestError("network", cause instanceof Error ? cause.message : String(cause));
    }

    let body: { data?: TData | null; errors?: GraphQLErrorItem[] } | null = null;
    const text = await response.text().catch(() => "");
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    const errors = Array.isArray(body?.errors) ? body!.errors! : [];

    if (!response.ok || errors.length > 0 || !body || body.data == null) {
      let kind = !body && response.ok ? "http" : classifyErrors(response.status, errors);
      // Without a token the API sees an anonymous user and answers PermissionDenied:
      // the problem is the missing sign-in, not a missing permission.
      if (kind === "forbidden" && !token) kind = "unauthorized";
      const message =
        errors[0]?.message ?? (response.ok ? "Invalid response from the server" : `HTTP ${response.status} ${response.statusText}`.trim());
      throw new GraphQLRequestError(kind, message, { status: response.status, errors });
    }
    return body.data as TData;
  };

  return async <TData, TVariables extends object = Record<string, unknown>>(query: string, variables?: TVariables) => {
    const token = getToken();
    try {
      return await once<TData>(query, variables, token);
    } catch (error) {
      // The Dashboard refreshes its token every few minutes: if a new one arrived while the
      // request was in flight, replay it once with the new token.
      if (error instanceof GraphQLRequestError && error.kind === "unauthorized") {
        const fresh = getToken();
        if (fresh && fresh !== token) return once<TData>(query, variables, fresh);
      }
      throw error;
    }
  };
}
