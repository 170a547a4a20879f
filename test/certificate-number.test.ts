import { describe, expect, it } from "vitest";
import { certificateNumber, parseCertificateNumber } from "../src/domain/certificate-number.js";
import { newId } from "../src/lib/ids.js";

describe("issue 16: the human certificate number", () => {
  it("is KZ, the year, seven characters of the id and a check character, in two blocks of four", () => {
    const n = certificateNumber("7f3kq9m0abcdefgh", 2026);
    expect(n).toMatch(/^KZ-26-7F3K-Q9M[0-9A-HJKMNP-TV-Z]$/);
    expect(parseCertificateNumber(n, 20)).toEqual({ kind: "number", year: 2026, idPrefix: "7f3kq9m" });
  });

  it("reads it as people type it: any case, spaces, no dashes, O for 0 and I or L for 1", () => {
    const n = certificateNumber("01abcde0zzzzzzzz", 2027);
    const sloppy = n.toLowerCase().replace(/-/g, " ").replace(/0/g, "o").replace(/1/g, "l");
    expect(parseCertificateNumber(sloppy, 20)).toEqual({ kind: "number", year: 2027, idPrefix: "01abcde" });
    expect(parseCertificateNumber(` ${n.replace(/-/g, "")}\n`, 20)).toEqual({ kind: "number", year: 2027, idPrefix: "01abcde" });
  });

  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const bodyOf = (n: string) => n.slice(6).replace("-", "");
  const parseBody = (body: string) => parseCertificateNumber(`KZ-26-${body}`, 20);

  it("catches every single mistyped character and every swap of two different neighbours", () => {
    for (let round = 0; round < 50; round++) {
      const body = bodyOf(certificateNumber(newId(16), 2026));
      for (let i = 0; i < body.length; i++) {
        for (const ch of alphabet) {
          if (ch === body[i]) continue;
          expect(parseBody(body.slice(0, i) + ch + body.slice(i + 1))).toEqual({ kind: "mistyped" });
        }
        if (i + 1 < body.length && body[i] !== body[i + 1]) {
          expect(parseBody(body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2))).toEqual({ kind: "mistyped" });
        }
      }
    }
  });

  it("catches the swap of every ordered pair of different characters at every position, 0 and Z included", () => {
    // Luhn mod 32 let 0Z ↔ Z0 through (CI, KZ-26-F0ZH-MFC…); the check must hold for every pair, not for a sample.
    const base = "7f3kq9m";
    for (let i = 0; i < 6; i++) {
      for (const x of alphabet) {
        for (const y of alphabet) {
          if (x === y) continue;
          const prefix = (base.slice(0, i) + x + y + base.slice(i + 2)).toLowerCase();
          const body = bodyOf(certificateNumber(`${prefix}000000000`, 2026));
          expect(parseBody(body)).toEqual({ kind: "number", year: 2026, idPrefix: prefix });
          expect(parseBody(body.slice(0, i) + y + x + body.slice(i + 2))).toEqual({ kind: "mistyped" });
          // The last id character swapped with the check character.
          if (body[6] !== body[7]) expect(parseBody(body.slice(0, 6) + body[7] + body[6])).toEqual({ kind: "mistyped" });
        }
      }
    }
    const check = bodyOf(certificateNumber("f0zhmfc000000000", 2026)).slice(7);
    expect(parseBody(`F0ZHMFC${check}`)).toEqual({ kind: "number", year: 2026, idPrefix: "f0zhmfc" });
    expect(parseBody(`FZ0HMFC${check}`)).toEqual({ kind: "mistyped" });
  });

  it("is not a number when it is not shaped like one", () => {
    for (const text of ["", "KZ-26", "7f3kq9m0abcdefgh", "https://senim.kz/c/7f3kq9m0abcdefgh", "KZ-2A-7F3K-Q9MR", "KZ-26-7F3K-Q9MR-X"]) {
      expect(parseCertificateNumber(text, 20)).toBeUndefined();
    }
    expect(parseCertificateNumber("KZ-26-7F3K-Q9UD", 20)).toEqual({ kind: "mistyped" });
  });
});
