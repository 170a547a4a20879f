/**
 * The real Node HTTP server for the verify benchmark, run as a child process of bench/run.ts so that autocannon
 * (in the parent) does not share this event loop. Same wiring as src/runtime/node.ts: `serve` from
 * @hono/node-server around `createApp(createServices(...))` on a SQLite file, but on 127.0.0.1 and a port the OS picks.
 *
 * Environment:
 *   SENIM_BENCH_DB          the SQLite file (already migrated and holding the certificates to verify)
 *   SENIM_BENCH_PUBLIC_URL  the public URL the certificates were issued under (status list URLs must match)
 *
 * Talks to the parent in JSON lines. On stdout, first `{"port": N, "pid": P}` once listening. On stdin, commands,
 * each answered with one line on stdout:
 *   cpu                    → {"cpu": {"user": µs, "system": µs}}  (process.cpuUsage: all threads, incl. the crypto pool)
 *   profile-start          → {"profiling": true}                  (V8 CPU profiler via node:inspector)
 *   profile-stop <file>    → {"profile": "<file>"}                (writes the .cpuprofile)
 * Exits on SIGTERM/SIGINT, when its stdin closes (the parent is gone), or after SENIM_BENCH_MAX_SECONDS (default 300).
 */
import { serve } from "@hono/node-server";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { createApp } from "../src/http/app.js";
import { Keyring } from "../src/registry/keyring.js";
import { createServices } from "../src/services.js";
import { openSqlite } from "../src/runtime/sqlite.js";
import { installPrimitives } from "../src/credentials/primitives.js";
import { nodePrimitives } from "../src/runtime/node-primitives.js";

const file = process.env.SENIM_BENCH_DB;
const publicUrl = process.env.SENIM_BENCH_PUBLIC_URL;
if (!file || !publicUrl) {
  console.error("verify-server: set SENIM_BENCH_DB and SENIM_BENCH_PUBLIC_URL");
  process.exit(2);
}
const maxSeconds = Number(process.env.SENIM_BENCH_MAX_SECONDS ?? 300);

// As src/runtime/node.ts: node:crypto for Ed25519 and SHA-256.
installPrimitives(nodePrimitives);
const db = openSqlite(file);
// Verification needs public keys only; a throwaway key-encryption key is enough.
const services = createServices({ db, keyring: await Keyring.fromSecret(Keyring.newSecret()), publicUrl });
const app = createApp(services, { logError: (err) => console.error("verify-server: unexpected error:", err) });

const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
  reply({ port: info.port, pid: process.pid });
});

function reply(o: unknown): void {
  process.stdout.write(JSON.stringify(o) + "\n");
}

let session: Session | undefined;
const commands = createInterface({ input: process.stdin });
commands.on("line", (line) => {
  const [command, arg] = line.trim().split(/\s+/, 2);
  void (async () => {
    if (command === "cpu") {
      reply({ cpu: process.cpuUsage() });
    } else if (command === "profile-start") {
      session = new Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
      reply({ profiling: true });
    } else if (command === "profile-stop" && arg && session) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(arg, JSON.stringify(profile));
      session.disconnect();
      session = undefined;
      reply({ profile: arg });
    } else {
      reply({ error: `unknown command ${JSON.stringify(line)}` });
    }
  })().catch((e: unknown) => reply({ error: String(e) }));
});
commands.on("close", () => shutdown());

let closing = false;
function shutdown(code = 0): void {
  if (closing) return;
  closing = true;
  server.close();
  void db.destroy().finally(() => process.exit(code));
  setTimeout(() => process.exit(code), 1_000).unref(); // do not wait for keep-alive sockets
}

process.once("SIGTERM", () => shutdown());
process.once("SIGINT", () => shutdown());
setTimeout(() => {
  console.error(`verify-server: still running after ${maxSeconds} s; exiting`);
  shutdown(1);
}, maxSeconds * 1_000).unref();
