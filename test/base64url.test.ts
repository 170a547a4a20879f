import { describe, expect, it } from "vitest";
import { base64url, fromBase64url } from "../src/lib/ids.js";

describe("base64url (RFC 4648 §5)", () => {
  it("decodes what Node's own codec encodes, for every length and byte", () => {
    for (let len = 0; len < 200; len++) {
      const bytes = new Uint8Array(len).map((_, i) => (i * 97 + len * 31) & 255);
      const text = Buffer.from(bytes).toString("base64url");
      expect(base64url(bytes)).toBe(text);
      expect(Buffer.from(fromBase64url(text)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it("refuses any character outside the alphabet, in every position of a group, and impossible lengths", () => {
    const good = "QUJDREVGR0g"; // "ABCDEFGH"
    for (let pos = 0; pos < good.length; pos++) {
      for (const bad of ["!", "=", "+", "/", " ", "é", "ё", "\u0100", "\u0141", "😀".charAt(0)]) {
        const text = good.slice(0, pos) + bad + good.slice(pos + 1);
        expect(() => fromBase64url(text), JSON.stringify(text)).toThrow(TypeError);
      }
    }
    expect(() => fromBase64url("A")).toThrow(TypeError);
    expect(() => fromBase64url("QUJDR")).toThrow(TypeError);
    expect(fromBase64url("")).toEqual(new Uint8Array(0));
  });
});
