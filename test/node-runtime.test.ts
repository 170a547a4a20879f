/**
 * The README's start command on a fresh machine: a real Node process, real SQLite file, dev secrets created on first
 * start (admin token printed once), migrations applied, and nothing secret in the logs afterwards.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, postOversizedChunkedBody } from "./helpers.js";
import { spawnNodeServer, stopProcess } from "./node-target.js";

const dir = mkdtempSync(join(tmpdir(), "senim-node-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const env = { ...process.env, PORT: String(port), DATA_DIR: join(dir, "data"), SENIM_KEYS_DIR: join(dir, "keys"), SENIM_KEK: "", SENIM_ADMIN_TOKEN: "", NODE_ENV: "development" };
  delete (env as Record<string, string | undefined>).SENIM_KEK;
  delete (env as Record<string, string | undefined>).SENIM_ADMIN_TOKEN;
  // Started from a foreign working directory: nothing may depend on where the operator stands.
  return spawnNodeServer(env, dir);
}


describe("npm start on a fresh machine", () => {
  it("creates dev keys and the SQLite file, prints the admin token once, and serves", async () => {
    const port = await freePort();
    const first = await start(port);
    const token = readFileSync(join(dir, "keys", "admin-token"), "utf8").trim();
    expect(first.output()).toContain(token);
    expect(statSync(join(dir, "keys", "kek")).mode & 0o077).toBe(0); // owner-only
    expect(statSync(join(dir, "data", "senim.db")).isFile()).toBe(true);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const styles = await fetch(`http://127.0.0.1:${port}/styles.css`);
    expect(styles.status).toBe(200);
    expect(styles.headers.get("content-type")).toContain("text/css");
    const party = await fetch(`http://127.0.0.1:${port}/api/parties`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ kind: "trainer", name: "Тренер", barId: "rba" }) });
    expect(party.status).toBe(201);

    // The web assets and the printable certificate are served by the Node runtime itself (font read from assets/).
    const base = `http://127.0.0.1:${port}`;
    const script = await fetch(`${base}/js/scan.js`);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect((await fetch(`${base}/verify`)).status).toBe(200);
    const api = async (path: string, body: unknown, bearer = token) =>
      (await fetch(`${base}${path}`, { method: path.endsWith("/participants") ? "PUT" : "POST", headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json() as Promise<any>;
    const partyId = ((await party.json()) as { id: string }).id;
    await api(`/api/parties/${partyId}/accreditations`, { barId: "rba", decisionNumber: "1", decisionDate: "2025-01-01", criteria: [{ criterion: "teaching-5-years", evidence: "x" }], validFrom: "2025-01-01" });
    const providerToken = (await api("/api/api-keys", { role: "provider", partyId, label: "t" })).token;
    const event = await api("/api/events", { topic: "Әдеп", programme: "topical", form: "course", deliveryMode: "online", place: "Online", startsAt: "2025-03-01T10:00:00+05:00", endsAt: "2025-03-01T16:00:00+05:00", durationMinutes: 270, trainers: [{ name: "Сейтқали Ә.", field: "Адвокаттық әдеп" }] }, providerToken);
    await api(`/api/events/${event.id}/participants`, { participants: [{ fullName: "Қатысушы", licenceNumber: "1", barId: "rba" }] }, providerToken);
    const cert = (await api(`/api/events/${event.id}/certificates`, {}, providerToken)).certificates[0];
    const pdf = await fetch(`${cert.url}.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    // Pages of every merged area render from outside the repo too (each .tsx names its JSX runtime).
    const survey = await fetch(`${cert.survey}?lang=kk`); // 7.5: the participant's own link, from the issuing response
    expect(survey.status).toBe(200);
    expect(await survey.text()).toContain('<form method="post"');

    // Over real HTTP the body limit holds both for a declared Content-Length and for a chunked stream.
    const big = JSON.stringify({ jwt: "x".repeat(300 * 1024) });
    const declared = await fetch(`http://127.0.0.1:${port}/api/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: big });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { code: string }).code).toBe("payload_too_large");
    const chunked = await postOversizedChunkedBody((path, init) => fetch(`http://127.0.0.1:${port}${path}`, init));
    expect(chunked.status).toBe(413);
    await stopProcess(first.child);

    // The access log names requests, never their secrets.
    expect(first.output()).toMatch(/^POST \/api\/parties 201 \d+\.\dms$/m);
    expect(first.output()).not.toContain(providerToken);
    expect(first.output().split(token).length).toBe(2); // printed once, at creation, and never logged again

    const second = await start(port);
    expect(second.output()).not.toContain(token);
    expect(second.output()).not.toContain(readFileSync(join(dir, "keys", "kek"), "utf8").trim());
    const registry = (await (await fetch(`http://127.0.0.1:${port}/api/registry`)).json()) as { bars: unknown[] };
    expect(registry.bars).toHaveLength(21);
    await stopProcess(second.child);
  });
});
