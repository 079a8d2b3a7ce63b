/**
 * The HTTP server of `npm start` and `npm run dev`: Next's request handler behind a plain node:http server, so
 * that the client's address is known (route handlers cannot see the socket) and cannot be forged.
 */
import http from "node:http";
import next from "next";
import { env } from "~/env";
import { CLIENT_IP_HEADER } from "~/server/client-ip";

const dev = process.argv.includes("--dev");

function clientAddress(req: http.IncomingMessage): string {
  if (env.TRUST_PROXY) {
    const forwarded = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",").map((hop) => hop.trim());
    const last = hops.filter(Boolean).at(-1);
    if (last) return last;
  }
  return req.socket.remoteAddress ?? "unknown";
}

async function main() {
  const app = next({ dev, port: env.PORT, hostname: "localhost" });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientAddress(req);
    void handle(req, res);
  });
  server.listen(env.PORT, () => console.log(`▸ Ready on http://localhost:${env.PORT}`));
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
