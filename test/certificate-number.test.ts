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

  it("catches every single mistyped character and every swap of two different neighbours", () => {
    const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    for (let round = 0; round < 50; round++) {
      const n = certificateNumber(newId(16), 2026);
      const body = n.slice(6).replace("-", "");
      for (let i = 0; i < body.length; i++) {
        for (const ch of alphabet) {
          if (ch === body[i]) continue;
          const typo = body.slice(0, i) + ch + body.slice(i + 1);
          expect(parseCertificateNumber(`KZ-26-${typo}`, 20)).toEqual({ kind: "mistyped" });
        }
        if (i + 1 < body.length && body[i] !== body[i + 1]) {
          const swapped = body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2);
          expect(parseCertificateNumber(`KZ-26-${swapped}`, 20)).toEqual({ kind: "mistyped" });
        }
      }
    }
  });

  it("is not a number when it is not shaped like one", () => {
    for (const text of ["", "KZ-26", "7f3kq9m0abcdefgh", "https://senim.kz/c/7f3kq9m0abcdefgh", "KZ-2A-7F3K-Q9MD", "KZ-26-7F3K-Q9MD-X"]) {
      expect(parseCertificateNumber(text, 20)).toBeUndefined();
    }
    expect(parseCertificateNumber("KZ-26-7F3K-Q9UD", 20)).toEqual({ kind: "mistyped" });
  });
});
