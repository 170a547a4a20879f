/**
 * Issue 16: nowhere is a dead end, and nothing a person meets is English in a Kazakh or Russian page. A browser that
 * follows a broken link gets a page in its language with the way on; a program gets the problem document, whose
 * detail is in the language it asked for; an error of ours is a page that says what to do, with nothing of the error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSenim, type TestSenim } from "./helpers.js";

let s: TestSenim;
beforeAll(async () => {
  s = await startSenim();
});
afterAll(async () => s.close());

const page = (path: string, lang: string) => s.fetch(path, { headers: { accept: "text/html,application/xhtml+xml", "accept-language": lang } });

describe("issue 16: an unknown address", () => {
  it.each([
    ["kk", "Бет табылмады", "Сертификатты тексеру"],
    ["ru", "Страница не найдена", "Проверить сертификат"],
    ["en", "Page not found", "Verify a certificate"],
  ])("in %s, a browser gets a 404 page in its language that leads to /verify, the registry and home", async (lang, title, verify) => {
    const res = await page("/certificates/KZ-26-0000-0000", lang);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain(`<html lang="${lang}"`);
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).toContain(verify);
    for (const next of ["verify", "registry", "home"]) expect(html).toMatch(new RegExp(`data-next="${next}"`));
  });

  it("a program gets the problem document, its detail in the language it asked for", async () => {
    for (const [lang, detail] of [["ru", /Такого ресурса нет/], ["kk", /Мұндай ресурс жоқ/], ["en", /No such resource/]] as const) {
      const res = await s.fetch("/api/nothing-here", { headers: { accept: "application/json", "accept-language": lang } });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect((await res.json()).detail).toMatch(detail);
    }
  });

  it("an unknown certificate's page offers /verify, the registry and home, in Russian", async () => {
    const res = await page("/c/0000000000000000?lang=ru", "ru");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("Сертификат не найден");
    for (const next of ["verify", "registry", "home"]) expect(html).toContain(`data-next="${next}"`);
  });
});

describe("issue 16: an error on our side", () => {
  it("a browser gets a 500 page in its language saying what to do, with nothing of the error in it; the error is logged", async () => {
    const broken = await startSenim();
    await broken.db.destroy(); // the database gone from under the service: every read fails
    try {
      const res = await broken.fetch("/registry", { headers: { accept: "text/html", "accept-language": "kk" } });
      expect(res.status).toBe(500);
      const html = await res.text();
      expect(html).toContain("<h1>Қате шықты</h1>");
      expect(html).toContain('data-next="verify"');
      expect(html).not.toMatch(/destroy|Kysely|sqlite|stack|Error:/i);
      expect(broken.loggedErrors.length).toBeGreaterThan(0);
      const api = await broken.fetch("/api/registry", { headers: { accept: "application/json", "accept-language": "ru" } });
      expect(api.status).toBe(500);
      expect(await api.json()).toMatchObject({ code: "internal", detail: "На нашей стороне произошла ошибка; ничего не сохранено наполовину." });
    } finally {
      await broken.close().catch(() => undefined);
    }
  });
});
