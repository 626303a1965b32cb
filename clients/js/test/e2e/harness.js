// What the end-to-end tests stand on: the real Parley server (the jar Maven built), a TCP proxy
// in front of it that can cut every connection, and headless Chromium through playwright-core.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const JAR = process.env.PARLEY_JAR || path.join(root, "parley-app/target/parley.jar");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** Starts `java -jar parley.jar serve` on a free loopback port; resolves with {port, stop}. */
export function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn("java", ["-jar", JAR, "serve", "--host", "127.0.0.1", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error("the server did not start within 30 s:\n" + out));
    }, 30000);
    const onData = (chunk) => {
      out += chunk;
      const m = /listening on http:\/\/[^:]+:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        resolve({
          port: Number(m[1]),
          stop: () =>
            new Promise((done) => {
              child.once("exit", done);
              child.kill("SIGTERM");
            }),
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c) => (out += c));
    child.once("exit", (code) => reject(new Error(`the server exited (${code}):\n${out}`)));
  });
}

/** A loopback TCP proxy to `target`; cut() resets every connection through it. */
export function startProxy(target) {
  const sockets = new Set();
  let accepting = true;
  const server = net.createServer((client) => {
    if (!accepting) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: server.address().port,
        cut() {
          for (const s of sockets) s.resetAndDestroy();
        },
        /** While false, new connections are reset at once: the server is unreachable. */
        accepting(on) {
          accepting = on;
        },
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(done);
          }),
      }),
    ),
  );
}

/** Headless Chromium, started the way this machine allows (no sandbox as root, no background network). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
