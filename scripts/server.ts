/**
 * The HTTP server of `npm start` and `npm run dev`: Next's request handler behind a plain node:http server, so
 * that the client's address is known (route handlers cannot see the socket) and cannot be forged, and so that a
 * body above its route's bound is refused before anything reads it (src/server/http-limits.ts).
 */
import { randomBytes } from "node:crypto";
import http from "node:http";

// Before the app's modules read the environment: the secret that vouches for the client-address header.
const clientIpToken = randomBytes(16).toString("hex");
process.env.VAPORFORM_CLIENT_IP_TOKEN = clientIpToken;

const dev = process.argv.includes("--dev");

async function main() {
  const { default: next } = await import("next");
  const { env } = await import("~/env");
  const { CLIENT_IP_HEADER, clientOf } = await import("~/server/client-ip");
  const { bodyRefusal, SMALL_BODY_BYTES } = await import("~/server/http-limits");
  const { hasValidSessionCookie } = await import("~/server/auth/session-cookie");
  const app = next({ dev, port: env.PORT, hostname: "localhost" });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Large bodies are for signed-in people: the session is checked only when the declared body is large.
  const signedInForLargeBody = async (req: http.IncomingMessage): Promise<boolean> => {
    const declared = Number(req.headers["content-length"] ?? 0);
    return declared > SMALL_BODY_BYTES && (await hasValidSessionCookie(req.headers.cookie));
  };
  const server = http.createServer(async (req, res) => {
    const refusal = bodyRefusal(req.url ?? "/", req.headers, await signedInForLargeBody(req));
    if (refusal) {
      refuseBody(req, res, refusal);
      return;
    }
    const client = clientOf(req.socket.remoteAddress, req.headers, env.TRUST_PROXY);
    req.headers[CLIENT_IP_HEADER] = `${clientIpToken} ${client.address} ${client.protocol}`;
    handle(req, res).catch((error: unknown) => {
      console.error("[server] request failed:", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal server error");
    });
  });
  // Keep idle connections open longer than clients and proxies do (Node's 5 s default is shorter than most): when
  // the server closes a connection just as a client reuses it, that request fails with ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen(env.PORT, () => console.log(`▸ Ready on http://localhost:${env.PORT}`));
  const { stopRunningTurns } = await import("~/server/services/assistant");
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Claude's running turns are cancelled and recorded (at most 10 s) before the process ends; their event
    // streams get `done` and close, so the server can close too.
    void stopRunningTurns(10_000)
      .catch((error: unknown) => console.error("[server] stopping the running turns failed:", error))
      .finally(() => {
        server.close(() => process.exit(0));
        server.closeAllConnections();
        setTimeout(() => process.exit(0), 2_000).unref();
      });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** What a refused request may still make us read (and throw away), and for how long, before its connection is cut. */
const REFUSED_DRAIN_BYTES = 64 * 1024 * 1024;
const REFUSED_DRAIN_MS = 30_000;

/**
 * Answers a refused body. Some of the body is read and thrown away (never buffered), so
 * a browser still sending sees this answer rather than a cut connection (EPIPE); past REFUSED_DRAIN_BYTES or
 * REFUSED_DRAIN_MS the socket is destroyed, so a declared length of terabytes, or a sender that never stops,
 * costs a bounded amount.
 */
function refuseBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  refusal: { status: number; body: unknown },
): void {
  let drained = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, REFUSED_DRAIN_MS);
  timer.unref();
  req.socket.once("close", () => clearTimeout(timer));
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > REFUSED_DRAIN_BYTES) cut();
  });
  res.writeHead(refusal.status, { "content-type": "application/json" });
  res.end(JSON.stringify(refusal.body));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
