/**
 * Asking a preview listener whether it is up. Its own module so that the `preview.health` job (listed in the job
 * registry, which the Next server reads too) does not pull the listener and its bundler into the Next build.
 */
import http from "node:http";
import { HEALTH_PATH } from "./lifecycle";

/** Whether something on `port` answers the health endpoint as this project's preview. */
export function servesProject(
  port: number,
  projectId: string,
  host = "127.0.0.1",
  timeoutMs = 2_000,
): Promise<boolean> {
  return probeHealth(`http://${host}:${port}${HEALTH_PATH}`, projectId, timeoutMs);
}

/** GETs a preview's health URL: healthy when it answers 200 with this project's id. */
export function probeHealth(url: string, projectId: string, timeoutMs = 5_000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (body.length < 4096) body += chunk;
      });
      response.on("end", () => {
        try {
          resolve(response.statusCode === 200 && (JSON.parse(body) as { project?: string }).project === projectId);
        } catch {
          resolve(false);
        }
      });
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}
