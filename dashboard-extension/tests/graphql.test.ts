import { describe, expect, it, vi } from "vitest";
import { classifyErrors, createGraphQLClient, GraphQLRequestError } from "../src/lib/graphql";

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function setup(responses: Array<Response | Error>, token: () => string | null = () => "tok-1") {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchMock = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init! });
    const next = responses.shift();
    if (!next) throw new Error("unexpected call");
    if (next instanceof Error) throw next;
    return next;
  });
  const client = createGraphQLClient({ url: "https://shop.test/plugins/global/saleor_amazon_channel/graphql/", getToken: token, fetch: fetchMock as typeof fetch });
  return { client, calls, fetchMock };
}

async function failure(promise: Promise<unknown>): Promise<GraphQLRequestError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLRequestError);
    return error as GraphQLRequestError;
  }
  throw new Error("expected a failure");
}

describe("GraphQL client", () => {
  it("POSTs the query and variables with the bearer token and returns data", async () => {
    const { client, calls } = setup([json({ data: { amazonStores: { totalCount: 0 } } })]);
    const data = await client<{ amazonStores: { totalCount: number } }>("query Q($a: Int) { x }", { a: 1 });
    expect(data.amazonStores.totalCount).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe("https://shop.test/plugins/global/saleor_amazon_channel/graphql/");
    expect(calls[0].init.method).toBe("POST");
    const headers = calls[0].init.headers as Record<string, string>;
    expect(headers.Authorization).toBe("Bearer tok-1");
    expect(headers["Content-Type"]).toBe("application/json");
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ query: "query Q($a: Int) { x }", variables: { a: 1 } });
  });

  it("sends no Authorization header without a token", async () => {
    const { client, calls } = setup([json({ data: { ok: true } })], () => null);
    await client("{ ok }");
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it("reads the token on every request (token refresh)", async () => {
    let token = "old";
    const { client, calls } = setup([json({ data: { a: 1 } }), json({ data: { a: 2 } })], () => token);
    await client("{ a }");
    token = "new";
    await client("{ a }");
    expect((calls[1].init.headers as Record<string, string>).Authorization).toBe("Bearer new");
  });

  it("maps HTTP 401 to 'unauthorized'", async () => {
    const { client } = setup([
      json({ errors: [{ message: "Signature has expired", extensions: { exception: { code: "InvalidTokenError" } } }] }, 401),
    ]);
    const error = await failure(client("{ a }"));
    expect(error.kind).toBe("unauthorized");
    expect(error.status).toBe(401);
    expect(error.message).toBe("Signature has expired");
  });

  it("replays once when the token changed during a 401", async () => {
    let token = "expired";
    const { client, calls } = setup(
      [json({ errors: [{ message: "expired" }] }, 401), json({ data: { a: 1 } })],
      () => token,
    );
    const pending = client<{ a: number }>("{ a }");
    token = "fresh";
    await expect(pending).resolves.toEqual({ a: 1 });
    expect(calls.map((call) => (call.init.headers as Record<string, string>).Authorization)).toEqual([
      "Bearer expired",
      "Bearer fresh",
    ]);
  });

  it("does not replay a 401 when the token is the same", async () => {
    const { client, fetchMock } = setup([json({ errors: [{ message: "bad" }] }, 401)]);
    expect((await failure(client("{ a }"))).kind).toBe("unauthorized");
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("maps PermissionDenied (HTTP 200, data null) to 'forbidden'", async () => {
    const { client } = setup([
      json({
        data: { amazonStores: null },
        errors: [
          {
            message: "You need one of the following permissions: MANAGE_CHANNELS",
            extensions: { exception: { code: "PermissionDenied" } },
          },
        ],
      }),
    ]);
    const error = await failure(client("{ amazonStores { totalCount } }"));
    expect(error.kind).toBe("forbidden");
    expect(error.message).toContain("MANAGE_CHANNELS");
  });

  it("maps PermissionDenied without a token to 'unauthorized' (anonymous request)", async () => {
    const { client } = setup(
      [json({ data: { amazonStores: null }, errors: [{ message: "You need one of the following permissions: MANAGE_CHANNELS", extensions: { exception: { code: "PermissionDenied" } } }] })],
      () => null,
    );
    expect((await failure(client("{ amazonStores { totalCount } }"))).kind).toBe("unauthorized");
  });

  it("maps other GraphQL errors to 'graphql' and keeps them", async () => {
    const { client } = setup([json({ errors: [{ message: "Cannot query field \"x\"", extensions: { exception: { code: "GraphQLError" } } }] }, 400)]);
    const error = await failure(client("{ x }"));
    expect(error.kind).toBe("graphql");
    expect(error.errors).toHaveLength(1);
  });

  it("maps a fetch failure to 'network'", async () => {
    const { client } = setup([new TypeError("Failed to fetch")]);
    const error = await failure(client("{ a }"));
    expect(error.kind).toBe("network");
    expect(error.message).toBe("Failed to fetch");
  });

  it("maps an HTTP error page to 'http'", async () => {
    const { client } = setup([new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" })]);
    const error = await failure(client("{ a }"));
    expect(error.kind).toBe("http");
    expect(error.status).toBe(502);
    expect(error.message).toBe("HTTP 502 Bad Gateway");
  });

  it("rejects a 200 that is not JSON", async () => {
    const { client } = setup([new Response("not json", { status: 200 })]);
    expect((await failure(client("{ a }"))).kind).toBe("http");
  });

  it("uses a URL function at request time", async () => {
    let url = "https://a.test/graphql/";
    const calls: string[] = [];
    const client = createGraphQLClient({
      url: () => url,
      getToken: () => "t",
      fetch: (async (input: RequestInfo | URL) => {
        calls.push(String(input));
        return json({ data: { ok: 1 } });
      }) as typeof fetch,
    });
    await client("{ ok }");
    url = "https://b.test/graphql/";
    await client("{ ok }");
    expect(calls).toEqual(["https://a.test/graphql/", "https://b.test/graphql/"]);
  });

  it("classifies by status and codes", () => {
    expect(classifyErrors(401, [])).toBe("unauthorized");
    expect(classifyErrors(200, [{ message: "x", extensions: { exception: { code: "ExpiredSignatureError" } } }])).toBe("unauthorized");
    expect(classifyErrors(403, [])).toBe("forbidden");
    expect(classifyErrors(500, [])).toBe("http");
    expect(classifyErrors(200, [{ message: "x" }])).toBe("graphql");
  });
});
