/**
 * A tiny npm registry for tests: packuments and tarballs of a few small packages it builds itself (a minimal tar
 * writer over node:zlib), so preview installs never reach the internet. Counts every request it answers.
 *
 *   tiny-greet     ESM `greet(name)`
 *   tiny-dom       a JSX runtime that builds DOM nodes (`@jsxImportSource tiny-dom`): a React-like page without React
 *   tiny-scripted  has preinstall/install/postinstall scripts that would create `markerPath`: never run by previews
 *
 * As a program (Playwright's web server): `tsx test/support/fake-npm-registry.ts --port 3402`; `GET /__requests`
 * answers the counts.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { gzipSync } from "node:zlib";

interface FakePackage {
  name: string;
  version: string;
  files: Record<string, string>;
  scripts?: Record<string, string>;
}

export interface FakeNpmRegistry {
  url: string;
  port: number;
  /** Request paths answered, in order (packuments and tarballs). */
  requests: string[];
  /** The most distinct packages ever being answered at once (with `delayMs`: how many installs overlapped). */
  peakPackagesInFlight(): number;
  close(): Promise<void>;
}

function packages(markerPath: string): FakePackage[] {
  const write = `node -e "require('fs').writeFileSync(${JSON.stringify(markerPath).replace(/"/g, "'")}, 'ran')"`;
  return [
    {
      name: "tiny-greet",
      version: "1.0.0",
      files: { "index.js": "export function greet(name) {\n  return `Hello, ${name}!`;\n}\n" },
    },
    {
      name: "tiny-dom",
      version: "1.0.0",
      files: {
        "index.js": "export { jsx, jsxs, Fragment } from './jsx-runtime.js';\n",
        "jsx-runtime.js": `export const Fragment = Symbol("Fragment");
function append(parent, child) {
  if (child === null || child === undefined || child === false || child === true) return;
  if (Array.isArray(child)) { for (const item of child) append(parent, item); return; }
  parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
}
export function jsx(type, props) {
  const { children, ...rest } = props ?? {};
  if (typeof type === "function") return type({ ...rest, children });
  const node = type === Fragment ? document.createDocumentFragment() : document.createElement(type);
  for (const [key, value] of Object.entries(rest)) {
    if (key === "className") node.setAttribute("class", value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2).toLowerCase(), value);
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}
export const jsxs = jsx;
export const jsxDEV = jsx;
`,
      },
    },
    {
      name: "tiny-scripted",
      version: "1.0.0",
      files: { "index.js": "export const scripted = true;\n" },
      scripts: { preinstall: write, install: write, postinstall: write },
    },
  ];
}

/** A ustar archive of `files` under `package/`, gzipped: what `npm pack` makes. */
export function tarball(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const body = Buffer.from(content);
    const header = Buffer.alloc(512);
    const field = (text: string, offset: number, length: number) => header.write(text, offset, length, "latin1");
    const octal = (value: number, offset: number, length: number) =>
      field(`${value.toString(8).padStart(length - 1, "0")}\0`, offset, length);
    field(`package/${name}`, 0, 100);
    octal(0o644, 100, 8);
    octal(0, 108, 8);
    octal(0, 116, 8);
    octal(body.length, 124, 12);
    octal(0, 136, 12);
    field("        ", 148, 8);
    field("0", 156, 1);
    field("ustar\0", 257, 6);
    field("00", 263, 2);
    let sum = 0;
    for (const byte of header) sum += byte;
    field(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** Starts the registry on 127.0.0.1 (`port` 0: any free port). */
export async function startFakeNpmRegistry(
  options: {
    port?: number;
    markerPath?: string;
    /** Each answer waits this long (a slow registry). */ delayMs?: number;
  } = {},
): Promise<FakeNpmRegistry> {
  const requests: string[] = [];
  const inFlight = new Map<string, number>();
  let peak = 0;
  const built = new Map<string, { packument: (base: string) => unknown; tgz: Buffer }>();
  for (const pkg of packages(options.markerPath ?? "/tmp/vaporform-fake-npm-install-script-ran")) {
    const manifest = {
      name: pkg.name,
      version: pkg.version,
      type: "module",
      main: "index.js",
      exports: pkg.name === "tiny-dom" ? { ".": "./index.js", "./jsx-runtime": "./jsx-runtime.js" } : "./index.js",
      ...(pkg.scripts ? { scripts: pkg.scripts } : {}),
    };
    const tgz = tarball({ "package.json": JSON.stringify(manifest, null, 2), ...pkg.files });
    const integrity = `sha512-${createHash("sha512").update(tgz).digest("base64")}`;
    const shasum = createHash("sha1").update(tgz).digest("hex");
    built.set(pkg.name, {
      tgz,
      packument: (base) => ({
        name: pkg.name,
        "dist-tags": { latest: pkg.version },
        versions: {
          [pkg.version]: {
            ...manifest,
            ...(pkg.scripts ? { hasInstallScript: true } : {}),
            dist: { tarball: `${base}/${pkg.name}/-/${pkg.name}-${pkg.version}.tgz`, integrity, shasum },
          },
        },
      }),
    });
  }
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    if (path === "/__requests") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ requests }));
      return;
    }
    requests.push(path);
    const base = `http://${req.headers.host}`;
    const tarballMatch = /^\/([^/]+)\/-\/[^/]+\.tgz$/.exec(path);
    const name = tarballMatch ? tarballMatch[1]! : path.slice(1);
    const pkg = built.get(name);
    inFlight.set(name, (inFlight.get(name) ?? 0) + 1);
    peak = Math.max(peak, inFlight.size);
    res.on("close", () => {
      const left = (inFlight.get(name) ?? 1) - 1;
      if (left > 0) inFlight.set(name, left);
      else inFlight.delete(name);
    });
    setTimeout(() => answer(res, pkg, tarballMatch !== null, base), options.delayMs ?? 0);
  });
  function answer(res: http.ServerResponse, pkg: ReturnType<typeof built.get>, tarball: boolean, base: string) {
    if (!pkg) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Not found" }));
    } else if (tarball) {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": pkg.tgz.length });
      res.end(pkg.tgz);
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(pkg.packument(base)));
    }
  }
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    peakPackagesInFlight: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1]?.endsWith("fake-npm-registry.ts")) {
  const at = process.argv.indexOf("--port");
  const registry = await startFakeNpmRegistry({ port: at > 0 ? Number(process.argv[at + 1]) : 0 });
  console.log(`Fake npm registry on ${registry.url}`);
}
