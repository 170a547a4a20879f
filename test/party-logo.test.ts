/**
 * Issue 16: PUT/DELETE /api/parties/{id}/logo. Who may (the party's own key, the admin of the bar that registered it,
 * the RBA's admin), what is accepted (a checked PNG up to 1024×1024, an SVG of plain paths, at most 100 KB), and that
 * a refusal is a localised 4xx that stores nothing. On each database the service runs on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG } from "pngjs";
import { accreditedProvider, startSenim, type TestSenim } from "./helpers.js";
import type { DatabaseKind } from "./databases.js";
import { checkPng, parseSafeSvg } from "../src/domain/party-logo.js";
import { SenimError } from "../src/domain/errors.js";

function png(width: number, height: number, noise = false): Uint8Array<ArrayBuffer> {
  const p = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) p.data.set(noise ? [Math.random() * 256, Math.random() * 256, Math.random() * 256, 255] : [20, 60, 120, 255], 4 * i);
  return new Uint8Array(PNG.sync.write(p));
}

const SVG_OK = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0 L10 0 L10 10 Z" fill="#123456"/></svg>`;

/** The SVGs refused, each with what it tries. */
const HOSTILE_SVGS: Record<string, string> = {
  script: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script><path d="M0 0 L1 1"/></svg>`,
  foreignObject: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><foreignObject><div/></foreignObject></svg>`,
  event: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><path d="M0 0 L1 1"/></svg>`,
  href: `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><image xlink:href="https://evil.example/x.png"/></svg>`,
  use: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><use href="#a"/></svg>`,
  urlPaint: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0 L1 1" fill="url(https://evil.example/#p)"/></svg>`,
  style: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0 L1 1" style="fill:red"/></svg>`,
  doctype: `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0 L1 1"/><title>&x;</title></svg>`,
  entity: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>&amp;</title><path d="M0 0 L1 1"/></svg>`,
  unclosed: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g><path d="M0 0 L1 1"/></svg>`,
  noViewBox: `<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0 L1 1"/></svg>`,
};

const refusalOf = (f: () => unknown): SenimError | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof SenimError) return e;
    throw e;
  }
  return undefined;
};

describe("the logo's checks (src/domain/party-logo.ts)", () => {
  it("a PNG passes on its signature, IHDR and chunks; a bad signature, a truncated file or one over 1024 px does not", () => {
    expect(checkPng(png(64, 32))).toEqual({ width: 64, height: 32 });
    const bad = Buffer.from(png(8, 8));
    bad[1] = 0x51;
    expect(refusalOf(() => checkPng(bad))?.key).toBe("logo-png-refused");
    expect(refusalOf(() => checkPng(png(8, 8).subarray(0, 40)))?.parts).toEqual({ reason: "logo-why-png-truncated" });
    expect(refusalOf(() => checkPng(png(1025, 4)))?.key).toBe("logo-png-too-big");
  });

  it("an SVG of plain paths passes with its paths and colours; anything outside the subset is refused by name", () => {
    expect(parseSafeSvg(new TextEncoder().encode(SVG_OK))).toEqual({ viewBox: [0, 0, 10, 10], paths: [{ d: "M0 0 L10 0 L10 10 Z", fill: "#123456", stroke: null, strokeWidth: 1, evenOdd: false }] });
    const reasons = Object.fromEntries(Object.entries(HOSTILE_SVGS).map(([name, svg]) => [name, refusalOf(() => parseSafeSvg(new TextEncoder().encode(svg)))?.parts?.reason]));
    expect(reasons).toEqual({
      script: "logo-why-svg-script",
      foreignObject: "logo-why-svg-foreign",
      event: "logo-why-svg-event",
      href: "logo-why-svg-element",
      use: "logo-why-svg-element",
      urlPaint: "logo-why-svg-reference",
      style: "logo-why-svg-style",
      doctype: "logo-why-svg-markup",
      entity: "logo-why-svg-markup",
      unclosed: "logo-why-svg-malformed",
      noViewBox: "logo-why-svg-viewbox",
    });
  });
});

describe.each(["sqlite", "postgres"] as DatabaseKind[])("PUT/DELETE /api/parties/{id}/logo on %s", (database) => {
  let s: TestSenim;
  let owner: Awaited<ReturnType<typeof accreditedProvider>>;
  let other: Awaited<ReturnType<typeof accreditedProvider>>;
  beforeAll(async () => {
    s = await startSenim({ database });
    owner = await accreditedProvider(s, { name: "Логотипі бар орталық" });
    other = await accreditedProvider(s, { name: "Басқа орталық" });
  });
  afterAll(async () => s.close());

  const put = (partyId: string, token: string, body: Uint8Array<ArrayBuffer> | string, type: string, lang = "en") =>
    s.fetch(`/api/parties/${partyId}/logo`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": type, "accept-language": lang }, body: body as BodyInit });
  const stored = () => s.services.partyLogos!.get(owner.party.id);

  it("the owner's key stores a PNG as sent, then replaces it with an SVG; DELETE removes it", async () => {
    const bytes = png(200, 100);
    const res = await put(owner.party.id, owner.token, bytes, "image/png");
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { mediaType: string; bytes: number; sha256: string };
    expect(body).toMatchObject({ mediaType: "image/png", bytes: bytes.length });
    const row = await stored();
    expect(Buffer.from(row!.bytes).equals(bytes)).toBe(true); // nothing re-encoded
    expect(row!.sha256).toBe(body.sha256);

    expect((await put(owner.party.id, owner.token, SVG_OK, "image/svg+xml; charset=utf-8")).status).toBe(200);
    expect((await stored())!.mediaType).toBe("image/svg+xml");

    // The RBA's admin may too.
    expect((await put(owner.party.id, s.adminToken, SVG_OK, "image/svg+xml")).status).toBe(200);

    const del = await s.fetch(`/api/parties/${owner.party.id}/logo`, { method: "DELETE", headers: { authorization: `Bearer ${owner.token}` } });
    expect(del.status).toBe(204);
    expect(await stored()).toBeUndefined();
    const again = await s.fetch(`/api/parties/${owner.party.id}/logo`, { method: "DELETE", headers: { authorization: `Bearer ${owner.token}` } });
    expect(again.status).toBe(404);
  });

  it("refusals are localised 4xx problems and store nothing: another provider's key, no key, too large, wrong type, a bad PNG, a hostile SVG", async () => {
    const good = png(64, 64);
    expect((await put(owner.party.id, owner.token, good, "image/png")).status).toBe(200);
    const before = await stored();

    const cases: [string, () => Promise<Response>, number, string][] = [
      ["another provider's key", () => put(owner.party.id, other.token, png(10, 10), "image/png", "kk"), 403, "forbidden"],
      ["no key", () => s.fetch(`/api/parties/${owner.party.id}/logo`, { method: "PUT", headers: { "content-type": "image/png" }, body: png(10, 10) }), 401, "unauthenticated"],
      ["200 KB", () => put(owner.party.id, owner.token, png(400, 400, true), "image/png", "ru"), 413, "payload_too_large"],
      ["a JPEG", () => put(owner.party.id, owner.token, new Uint8Array([0xff, 0xd8, 0xff]), "image/jpeg"), 415, "unsupported_media_type"],
      ["a bad PNG signature", () => put(owner.party.id, owner.token, new Uint8Array(Buffer.concat([Buffer.from("GIF89a.."), png(10, 10).subarray(8)])), "image/png", "kk"), 400, "invalid_request"],
      ["an empty body", () => put(owner.party.id, owner.token, new Uint8Array(), "image/png"), 400, "invalid_request"],
      ...Object.entries(HOSTILE_SVGS).map(([name, svg]) => [`an SVG with ${name}`, () => put(owner.party.id, owner.token, svg, "image/svg+xml", "ru"), 400, "invalid_request"] as [string, () => Promise<Response>, number, string]),
      ["an unknown party", () => put("nosuchparty", s.adminToken, good, "image/png"), 404, "not_found"],
    ];
    expect(png(400, 400, true).length).toBeGreaterThan(200_000);
    for (const [name, send, status, code] of cases) {
      const res = await send();
      expect(res.status, name).toBe(status);
      const problem = (await res.json()) as { code: string; detail: string };
      expect(problem.code, name).toBe(code);
      expect(problem.detail, name).toBeTruthy();
    }
    // Said in the caller's language: the refusal's reason too.
    const kk = (await (await put(owner.party.id, other.token, good, "image/png", "kk")).json()) as { detail: string };
    expect(kk.detail).toContain("логотипін");
    const ru = (await (await put(owner.party.id, owner.token, HOSTILE_SVGS.script!, "image/svg+xml", "ru")).json()) as { detail: string };
    expect(ru.detail).toContain("в нём есть скрипт");
    const big = (await (await put(owner.party.id, owner.token, png(400, 400, true), "image/png", "ru")).json()) as { detail: string };
    expect(big.detail).toContain("не более 102400 байт");

    const after = await stored();
    expect(after!.sha256).toBe(before!.sha256);
    expect(after!.updatedAt).toBe(before!.updatedAt);
    // The other party has no logo: nothing was stored under its id either.
    expect(await s.services.partyLogos!.get(other.party.id)).toBeUndefined();
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await (await s.fetch("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/api/parties/{id}/logo"] ?? {}).sort()).toEqual(["delete", "put"]);
  });
});
