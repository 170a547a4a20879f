/**
 * The Node access log (src/runtime/node.ts, SENIM_ACCESS_LOG on): one request is one log line, whatever its path
 * holds. Hono's decoded path turned `%0a` into a line break, so a request could write a second, forged entry.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOG_PATH_MAX, logSafePath } from "../src/http/hygiene.js";
import { Keyring } from "../src/registry/keyring.js";
import { freePort } from "./helpers.js";
import { spawnNodeServer, stopProcess } from "./node-target.js";

describe("logSafePath (what the access log shows of a path)", () => {
  it("keeps the path as sent, percent-encoded, and drops the origin, query and fragment", () => {
    expect(logSafePath("http://127.0.0.1:8080/c/abc%0aGET%20/x?token=secret#f")).toBe("/c/abc%0aGET%20/x");
    // 7.5: the survey link's token is a secret of the participant's: never logged.
    expect(logSafePath("http://127.0.0.1:8080/survey/oqKwW8c7lsBZSn5inLkCQA")).toBe("/survey/[secret]");
    expect(logSafePath("http://127.0.0.1:8080/survey/oqKwW8c7lsBZSn5inLkCQA/x")).toBe("/survey/[secret]/x");
    expect(logSafePath("https://senim.test")).toBe("/");
    expect(logSafePath("/registry/almaty-city?lang=kk")).toBe("/registry/almaty-city");
  });

  it("escapes control characters, spaces, backslashes and anything not printable ASCII", () => {
    expect(logSafePath("http://h/a\nGET /forged 200 1ms")).toBe("/a\\x0aGET\\x20/forged\\x20200\\x201ms");
    expect(logSafePath("http://h/\r\u0000\u001b[31m\u007f")).toBe("/\\x0d\\x00\\x1b[31m\\x7f");
    expect(logSafePath("http://h/a\\x0a")).toBe("/a\\\\x0a");
    expect(logSafePath("http://h/ü€\u2028")).toBe("/\\xfc\\u{20ac}\\u{2028}");
  });

  it(`cuts a path longer than ${LOG_PATH_MAX} characters, with a marker`, () => {
    const cut = logSafePath(`http://h/${"a".repeat(10_000)}`);
    expect(cut.length).toBeLessThan(LOG_PATH_MAX + 10);
    expect(cut.endsWith("…(cut)")).toBe(true);
    expect(logSafePath(`http://h/${"\n".repeat(5_000)}`).length).toBeLessThan(LOG_PATH_MAX + 10);
  });
});

describe("the Node server's access log", () => {
  const dir = mkdtempSync(join(tmpdir(), "senim-access-log-"));
  let child: ChildProcess;
  let output: () => string;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: join(dir, "data"),
      SENIM_KEYS_DIR: join(dir, "keys"),
      SENIM_KEK: Keyring.newSecret(),
      SENIM_ADMIN_TOKEN: "x".repeat(43),
      SENIM_ACCESS_LOG: "on",
      TSX_TSCONFIG_PATH: resolve(import.meta.dirname, "../tsconfig.json"),
    };
    delete env.DATABASE_URL;
    ({ child, output } = await spawnNodeServer(env, dir));
  });
  afterAll(async () => {
    if (child) await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  });

  /** The access log lines printed since `mark` (the log's length before the requests). */
  async function linesSince(mark: number, expected: number): Promise<string[]> {
    const deadline = Date.now() + 5_000;
    let lines: string[] = [];
    while (Date.now() < deadline) {
      lines = output().slice(mark).split("\n").filter((l) => l !== "");
      if (lines.length >= expected) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 200)); // anything more it would print
    return output().slice(mark).split("\n").filter((l) => l !== "");
  }

  /** A request line sent as raw bytes, as no HTTP client library would send it. */
  function rawRequest(target: Buffer): Promise<string> {
    return new Promise((resolvePromise, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(Buffer.concat([Buffer.from("GET "), target, Buffer.from(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")]));
      });
      let data = "";
      socket.on("data", (d) => (data += d));
      socket.on("end", () => resolvePromise(data));
      socket.on("error", reject);
    });
  }

  it("one request is one log line: %0a, %0d and other encoded control characters stay encoded", async () => {
    const mark = output().length;
    const forged = "/c/abc%0aGET%20/registry%20200%200.1ms%0d%0aPOST%20/api/parties%20201%201.0ms%1b[2K%00";
    const res = await fetch(`http://127.0.0.1:${port}${forged}?token=secret`);
    await res.arrayBuffer();
    expect(res.status).toBeLessThan(500);
    const lines = await linesSince(mark, 1);
    expect(lines, lines.join("\n")).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET \/c\/abc%0aGET%20\/registry%20200%200\.1ms%0d%0aPOST%20\/api\/parties%20201%201\.0ms%1b\[2K%00 \d{3} [\d.]+ms$/);
    expect(lines[0]).not.toContain("secret");
  });

  it("raw bytes in the request target cannot break a line either, and a long path is cut", async () => {
    const mark = output().length;
    const answers = [
      await rawRequest(Buffer.from([0x2f, 0x61, 0xc3, 0xbc, 0x0b, 0x62])), // "/aü\vb"
      await rawRequest(Buffer.from(`/${"a".repeat(4_000)}%0a`)),
      await rawRequest(Buffer.from("/x%0D%0AGET%20/y")),
    ];
    const served = answers.filter((a) => a.startsWith("HTTP/1.1 ") && !a.startsWith("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")).length;
    expect(served).toBeGreaterThanOrEqual(2);
    const lines = await linesSince(mark, served);
    expect(lines, lines.join("\n")).toHaveLength(served);
    for (const line of lines) {
      expect(line).toMatch(/^GET \/[\x21-\x7e…()]* \d{3} [\d.]+ms$/);
      expect(line.length).toBeLessThan(LOG_PATH_MAX + 40);
    }
    expect(lines.some((l) => l.includes("(cut)"))).toBe(true);
  });
});
