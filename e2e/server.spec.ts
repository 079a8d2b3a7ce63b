import http from "node:http";
import { expect, test } from "./fixtures";

/** One GET on `agent`, answering the status and the local port of the socket it went over. */
function get(agent: http.Agent, url: string): Promise<{ status: number; port: number | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, port: request.socket?.localPort }));
    });
    request.on("error", reject);
  });
}

test("an idle kept-alive connection is still served after Node's default 5 s (no ECONNRESET on reuse)", async () => {
  test.setTimeout(60_000);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${test.info().project.use.baseURL}/api/health`;
  const first = await get(agent, url);
  await new Promise((resolve) => setTimeout(resolve, 7_000));
  const second = await get(agent, url);
  agent.destroy();
  expect(first.status).toBe(200);
  expect(second.status).toBe(200);
  // The same socket: the server kept it open through the pause.
  expect(second.port).toBe(first.port);
});
