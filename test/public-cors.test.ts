import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { issued, startSenim, type TestSenim } from "./helpers.js";

// The public CORS header is added after the handler (src/http/app.ts): every kind of answer must still carry it,
// and keyed endpoints must still not.
let s: TestSenim;
beforeEach(async () => {
  s = await startSenim();
});
afterEach(async () => {
  await s.close();
});

describe("public CORS on every answer", () => {
  it("verify: passed, failed, not a credential, too large, preflight; other public paths; keyed paths stay closed", async () => {
    const { certificates } = await issued(s, 1);
    const { jwt } = (await s.call("GET", `/api/certificates/${certificates[0]!.id}`)).body;
    const origin = { origin: "https://court.example" };
    const ok = await s.call("POST", "/api/verify", { body: { jwt }, headers: origin });
    expect(ok.status).toBe(200);
    const [h, p, sig] = jwt.split(".");
    const altered = await s.call("POST", "/api/verify", { body: { jwt: `${h}.${p}.${sig.slice(0, -4)}AAAA` }, headers: origin });
    expect(altered.status).toBe(422);
    const notCredential = await s.call("POST", "/api/verify", { body: { jwt: "a.b.c" }, headers: origin });
    expect(notCredential.status).toBe(400);
    const tooLarge = await s.call("POST", "/api/verify", { raw: JSON.stringify({ jwt: "x".repeat(300 * 1024) }), headers: { ...origin, "content-type": "application/json" } });
    expect(tooLarge.status).toBe(413);
    const missing = await s.call("GET", "/c/doesnotexist", { headers: origin });
    expect(missing.status).toBe(404);
    const registry = await s.call("GET", "/api/registry", { headers: origin });
    expect(registry.status).toBe(200);
    const calendar = await s.call("GET", "/api/events/announced", { headers: origin }); // 7.3: the public calendar
    expect(calendar.status).toBe(200);
    for (const res of [ok, altered, notCredential, tooLarge, missing, registry, calendar]) {
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff"); // secureHeaders still applies on top
    }
    expect(ok.headers.get("content-type")).toMatch(/^application\/json/);
    expect(ok.body.verified).toBe(true);

    const preflight = await s.call("OPTIONS", "/api/verify", { headers: { ...origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET,HEAD,POST,OPTIONS");
    expect(preflight.headers.get("access-control-max-age")).toBe("86400");

    const keyed = await s.call("GET", "/api/events", { token: s.adminToken, headers: origin });
    expect(keyed.headers.get("access-control-allow-origin")).toBeNull();
  });
});
