/** One catalogue per language (src/http/i18n/{kk,ru,en}.ts): complete, non-empty, and really in that language. */
import { describe, expect, it } from "vitest";
import { en } from "../src/http/i18n/en.js";
import { kk } from "../src/http/i18n/kk.js";
import { ru } from "../src/http/i18n/ru.js";

const entries = (c: Record<string, Record<string, string>>) => Object.entries(c).flatMap(([s, texts]) => Object.entries(texts).map(([k, v]) => [`${s}.${k}`, v] as const));

describe("the language catalogues", () => {
  it("hold the same keys in every language, none empty", () => {
    const keys = entries(en).map(([k]) => k);
    for (const c of [kk, ru]) expect(entries(c).map(([k]) => k)).toEqual(keys);
    for (const c of [kk, ru, en]) for (const [k, v] of entries(c)) expect(v.trim(), k).not.toBe("");
  });

  it("name the same {placeholders} in every language, so no value is dropped or left unfilled", () => {
    const slots = (v: string) => [...v.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const english = new Map(entries(en).map(([k, v]) => [k, slots(v)]));
    expect([...english.values()].some((x) => x.length > 0)).toBe(true);
    for (const c of [kk, ru]) for (const [k, v] of entries(c)) expect(slots(v), k).toEqual(english.get(k));
  });

  it("write Kazakh and Russian in Cyrillic, Kazakh with its own letters (ә ғ қ ң ө ұ ү һ і)", () => {
    const cyrillic = /[\u0400-\u04FF]/;
    // Texts that are names or codes (e.g. "Idempotency-Key", "JSON-LD") may stay Latin; sentences may not.
    for (const c of [kk, ru]) for (const [k, v] of entries(c)) if (v.split(" ").length > 3) expect(v, k).toMatch(cyrillic);
    expect(entries(kk).some(([, v]) => /[әғқңөұүһі]/i.test(v))).toBe(true);
  });
});

describe("check names and codes", () => {
  it("every check and every check code the verifier reports is explained in Kazakh, Russian and English", async () => {
    const { CHECKS, CHECK_CODES } = await import("../src/credentials/checks.js");
    for (const c of [kk, ru, en]) {
      for (const check of CHECKS) expect((c as any).checkNames[check], check).toBeTruthy();
      for (const code of CHECK_CODES) expect((c as any).checkDetails[code], code).toBeTruthy();
    }
  });
});

describe("refusals' details (issue 16)", () => {
  it("English is the rules' own templates, and every key a rule throws has its Kazakh and Russian text", async () => {
    const { EVENT_RULE_TEMPLATES } = await import("../src/domain/event.js");
    const { NOT_A_CREDENTIAL_TEMPLATES } = await import("../src/credentials/checks.js");
    const { TIME_DETAIL_TEMPLATES } = await import("../src/domain/time.js");
    const { AUTHZ_DETAIL_TEMPLATES } = await import("../src/domain/authz.js");
    const { ACCREDITATION_DETAIL_TEMPLATES } = await import("../src/domain/accreditation.js");
    const { PROGRAMME_CONTENT_DETAIL_TEMPLATES } = await import("../src/domain/programme-content.js");
    const { ANNOUNCEMENT_DETAIL_TEMPLATES } = await import("../src/domain/announcement.js");
    const { STANDARDS_DETAIL_TEMPLATES } = await import("../src/standards/details.js");
    const { WALLET_DETAIL_TEMPLATES } = await import("../src/wallet/details.js");
    const { SURVEY_DETAIL_TEMPLATES } = await import("../src/compliance/surveys.js");
    const { REMINDER_DETAIL_TEMPLATES } = await import("../src/compliance/reminders.js");
    const { ADVOCATE_DETAIL_TEMPLATES } = await import("../src/advocates/details.js");
    const { KEYRING_DETAIL_TEMPLATES } = await import("../src/registry/keyring.js");
    const { COMPLIANCE_DETAIL_TEMPLATES, SUBMISSION_DETAIL_TEMPLATES, CLOSING_DETAIL_TEMPLATES, ATTESTATION_DETAIL_TEMPLATES } = await import("../src/compliance/details.js");
    const { REGISTRY_DETAIL_TEMPLATES } = await import("../src/registry/details.js");
    const { STORAGE_DETAIL_TEMPLATES } = await import("../src/domain/store-details.js");
    const { DELIVERY_DETAIL_TEMPLATES } = await import("../src/delivery/details.js");
    const { CSV_DETAIL_TEMPLATES } = await import("../src/lib/csv.js");
    const { VALIDATION_PROBLEM_CODES } = await import("../src/http/schemas.js");
    const own = [ACCREDITATION_DETAIL_TEMPLATES, PROGRAMME_CONTENT_DETAIL_TEMPLATES, ANNOUNCEMENT_DETAIL_TEMPLATES, STANDARDS_DETAIL_TEMPLATES, WALLET_DETAIL_TEMPLATES, SURVEY_DETAIL_TEMPLATES, REMINDER_DETAIL_TEMPLATES, ADVOCATE_DETAIL_TEMPLATES, KEYRING_DETAIL_TEMPLATES];
    const bookkeeping: Readonly<Record<string, string>>[] = [COMPLIANCE_DETAIL_TEMPLATES, SUBMISSION_DETAIL_TEMPLATES, CLOSING_DETAIL_TEMPLATES, ATTESTATION_DETAIL_TEMPLATES, REGISTRY_DETAIL_TEMPLATES, STORAGE_DETAIL_TEMPLATES, DELIVERY_DETAIL_TEMPLATES, CSV_DETAIL_TEMPLATES];
    for (const templates of [EVENT_RULE_TEMPLATES, NOT_A_CREDENTIAL_TEMPLATES, TIME_DETAIL_TEMPLATES, AUTHZ_DETAIL_TEMPLATES, ...own, ...bookkeeping]) {
      for (const [key, text] of Object.entries(templates)) {
        expect((en.problemDetails as Record<string, string>)[key], key).toBe(text);
        for (const c of [kk, ru]) expect((c.problemDetails as Record<string, string>)[key], key).not.toBe(text);
      }
    }
    for (const code of VALIDATION_PROBLEM_CODES) for (const c of [kk, ru, en]) expect(c.validationProblems[code], code).toBeTruthy();
  });

  it("a keyed refusal reads in each language, its parts and values filled; one without a key keeps its English", async () => {
    const { detailText } = await import("../src/http/i18n.js");
    const { requireAccreditationForEvent } = await import("../src/domain/event.js");
    const { SenimError } = await import("../src/domain/errors.js");
    let refusal: InstanceType<typeof SenimError> | undefined;
    try {
      requireAccreditationForEvent([], { programme: "criminal", form: "course", startsAt: "2026-01-15T04:00:00Z", endsAt: "2026-01-15T10:00:00Z" }, "sign");
    } catch (e) {
      refusal = e as InstanceType<typeof SenimError>;
    }
    expect(refusal!.message).toBe("The provider is not accredited (3.1, 9.1); the service refuses to sign its certificates.");
    expect(detailText(refusal!, "en")).toBe(refusal!.message);
    expect(detailText(refusal!, "kk")).toBe("Провайдер аккредиттелмеген (3.1, 9.1); сервис оның сертификаттарына қол қоймайды.");
    expect(detailText(refusal!, "ru")).toBe("Провайдер не аккредитован (3.1, 9.1); сервис не подписывает его сертификаты.");
    expect(detailText(new SenimError("conflict", "Plain English."), "ru")).toBe("Plain English.");
  });
});

describe("field problems (issue 16): every code a field's problem is given has its text in kk, ru and en", () => {
  it("the English is the templates' own; kk and ru translate every code; a page names the field in its language", async () => {
    const { FIELD_PROBLEM_TEMPLATES, fieldProblem } = await import("../src/domain/field-problems.js");
    const { CSV_PROBLEM_TEMPLATES } = await import("../src/lib/csv.js");
    const { problemText } = await import("../src/http/i18n.js");
    expect(Object.keys(en.fieldProblems)).toEqual(Object.keys(FIELD_PROBLEM_TEMPLATES));
    for (const [code, text] of Object.entries(FIELD_PROBLEM_TEMPLATES)) {
      expect((en.fieldProblems as Record<string, string>)[code], code).toBe(text);
      for (const c of [kk, ru]) expect((c.fieldProblems as Record<string, string>)[code], code).not.toBe(text);
    }
    for (const [code, text] of Object.entries(CSV_PROBLEM_TEMPLATES)) {
      expect((en.csvProblems as Record<string, string>)[code], code).toBe(text);
      for (const c of [kk, ru]) expect((c.csvProblems as Record<string, string>)[code], code).not.toBe(text);
    }
    const future = fieldProblem("completedOn", "date-in-future");
    expect(future).toEqual({ path: "completedOn", code: "date-in-future", message: "is in the future" });
    expect(problemText(future, "en")).toEqual({ where: "Completed on", text: "is in the future" });
    expect(problemText(future, "ru")).toEqual({ where: "Дата окончания", text: "дата ещё не наступила" });
    expect(problemText(fieldProblem("year", "year-out-of-range", { min: 2000, max: 2100 }), "kk")).toEqual({ where: "Жыл", text: "2000–2100 аралығында болуы керек" });
  });

  it("every code written beside a literal message in src/ is one the catalogues translate", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : []));
    const sections = ["fieldProblems", "validationProblems", "csvProblems", "calendarProblems", "listsProblems"] as const;
    const used = new Set<string>();
    for (const file of files("src").filter((f) => !f.includes("/i18n/"))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/message: (?:"[^"]*"|[A-Z_]+\[[^\]]+\]), code: "([a-z0-9-]+)"/g)) used.add(m[1]!);
      for (const m of text.matchAll(/fieldProblem\([^,]+, "([a-z0-9-]+)"/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(30);
    for (const code of used) for (const c of [kk, ru, en]) expect(sections.some((s) => (c[s] as Record<string, string>)[code]), code).toBe(true);
  });
});
