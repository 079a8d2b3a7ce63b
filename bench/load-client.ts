/**
 * One simulated browser for `npm run bench:load`: a cookie jar, its own client address (the app runs with
 * TRUST_PROXY=true, so per-address rate limits see each simulated user apart), next-auth's credentials sign-in,
 * and tRPC calls over HTTP as the app's client makes them (superjson envelope, CSRF header on mutations).
 */

/** Per request: a stuck request fails the iteration instead of holding the benchmark. */
const REQUEST_TIMEOUT_MS = 30_000;
const CSRF_COOKIE = "vf-csrf";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** tRPC's error code (CONFLICT, ...) when the body carries one. */
    readonly code: string,
    message: string,
    readonly data: unknown = null,
  ) {
    super(message);
  }
}

export class BrowserSession {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly clientIp: string,
  ) {}

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("x-forwarded-for", this.clientIp);
    if (this.cookies.size)
      headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const response = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1).trim());
    }
    return response;
  }

  /** Signs in through next-auth's credentials endpoint, as e2e/fixtures.ts signInAs does; answers the user's id. */
  async signIn(email: string, password: string): Promise<string> {
    const { csrfToken } = (await (await this.request("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await this.request("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/", json: "true" }),
    });
    await response.arrayBuffer();
    const session = (await (await this.request("/api/auth/session")).json()) as { user?: { id?: string } };
    if (!session.user?.id) throw new Error(`sign-in of ${email} failed (HTTP ${response.status})`);
    return session.user.id;
  }

  /** The jar's cookies, to hand this signed-in session to a real browser (Playwright's `addCookies`). */
  cookieList(): { name: string; value: string; url: string }[] {
    return [...this.cookies].map(([name, value]) => ({ name, value, url: this.baseUrl }));
  }

  async query<T>(procedure: string, input: unknown): Promise<T> {
    const search = new URLSearchParams({ input: JSON.stringify({ json: input }) });
    return this.answer<T>(await this.request(`/api/trpc/${procedure}?${search}`));
  }

  async mutation<T>(procedure: string, input: unknown): Promise<T> {
    if (!this.cookies.has(CSRF_COOKIE)) await (await this.request("/api/auth/csrf")).arrayBuffer();
    return this.answer<T>(
      await this.request(`/api/trpc/${procedure}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": this.cookies.get(CSRF_COOKIE) ?? "" },
        body: JSON.stringify({ json: input }),
      }),
    );
  }

  private async answer<T>(response: Response): Promise<T> {
    const text = await response.text();
    let body: {
      result?: { data?: { json?: T } };
      error?: { json?: { message?: string; data?: { code?: string; app?: unknown } } };
    };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new HttpError(response.status, `HTTP ${response.status}`, text.slice(0, 200));
    }
    if (response.ok && body.result) return body.result.data?.json as T;
    const error = body.error?.json;
    throw new HttpError(
      response.status,
      error?.data?.code ?? `HTTP ${response.status}`,
      error?.message ?? text.slice(0, 200),
      error?.data?.app,
    );
  }
}
