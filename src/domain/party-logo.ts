/**
 * Issue 16: a provider's logo for the header of its printable certificates (7.5). Pure rules: who may change it, and
 * what bytes are accepted. The bytes are stored as sent (nothing is re-encoded); they are only checked.
 *
 * - PNG: the signature, an IHDR chunk first (at most 1024×1024, a valid bit depth and colour type), chunks that stay
 *   inside the file, IDAT and IEND present. (The web layer also decodes it once with the PDF library before storing,
 *   so a PNG that passes here but would not draw is refused at upload, not when a certificate is printed.)
 * - SVG: pdf-lib draws no SVG documents, only path data (drawSvgPath). So an SVG is accepted only as a strict subset
 *   that is drawn exactly as it would render: `<svg>` with a viewBox, `<g>` and `<path>` elements with fill and stroke
 *   colours, `<title>`/`<desc>` text. Everything else is refused by name, never silently dropped: a logo never prints
 *   differently from what its owner saw. Refused in particular: scripts, foreignObject, any element outside the list
 *   (image, use, style, text…), any href (external references), event attributes (on…), style attributes, url()
 *   paints, transforms, and DOCTYPE/ENTITY/CDATA/comments/processing instructions (entity expansion, XXE).
 */
import { mayAdministerParty, type PartyRef, type Principal } from "./authz.js";
import { keyedError } from "./errors.js";

export const LOGO_MAX_BYTES = 100 * 1024;
export const LOGO_MAX_PIXELS = 1024;
/** A logo is a mark, not an illustration: bounded so that drawing it stays cheap on every printed certificate. */
export const SVG_MAX_PATHS = 500;

export type LogoMediaType = "image/png" | "image/svg+xml";
export const LOGO_MEDIA_TYPES: readonly LogoMediaType[] = ["image/png", "image/svg+xml"];

/**
 * The English details of the refusals below (kk and ru in the catalogues' problemDetails). What is wrong with a file is
 * a part of its own (`{reason}`, a `logo-why-…` key), so it is said in the reader's language too.
 */
export const LOGO_DETAIL_TEMPLATES = {
  "logo-forbidden": "Only the party itself, the admin of the bar that registered it or the RBA's admin may change party {party}'s logo.",
  "logo-too-large": "A logo may be at most {max} bytes.",
  "logo-media-type": "Send the logo as Content-Type image/png or image/svg+xml.",
  "logo-empty": "The request has no logo in its body.",
  "logo-none": "Party {party} has no logo.",
  "logo-png-refused": "This is not a PNG file that can be used: {reason}.",
  "logo-png-too-big": "The logo is {width}×{height} pixels; at most {max}×{max} are accepted.",
  "logo-svg-refused": "This SVG cannot be used as a logo: {reason}. Only <svg> with a viewBox, <g> and <path> with plain colours are drawn on certificates.",
  "logo-why-png-signature": "the PNG signature is missing",
  "logo-why-png-header": "its IHDR header is missing or invalid",
  "logo-why-png-truncated": "its chunks do not fit the file",
  "logo-why-png-no-data": "it has no image data or no palette",
  "logo-why-png-undecodable": "its image data cannot be decoded",
  "logo-why-svg-not-text": "it is not UTF-8 text",
  "logo-why-svg-markup": "it has a DOCTYPE, entity, CDATA section, comment or processing instruction",
  "logo-why-svg-malformed": "it is not one well-formed <svg> element",
  "logo-why-svg-script": "it contains a script",
  "logo-why-svg-foreign": "it contains foreignObject",
  "logo-why-svg-element": "the element <{element}> is not drawn on certificates",
  "logo-why-svg-event": "it has the event attribute {attribute}",
  "logo-why-svg-reference": "it refers to another resource (href or url())",
  "logo-why-svg-style": "it uses style attributes instead of fill and stroke",
  "logo-why-svg-transform": "it uses transforms (flatten them into the paths)",
  "logo-why-svg-attribute": "the attribute {attribute} of <{element}> is not drawn on certificates",
  "logo-why-svg-colour": "the colour {value} is not a plain colour (#rrggbb)",
  "logo-why-svg-number": "a stroke width is not a number",
  "logo-why-svg-viewbox": "it has no viewBox with an area",
  "logo-why-svg-path-data": "a path's d attribute is not path data",
  "logo-why-svg-too-many": "it has more than {max} paths",
  "logo-why-svg-empty": "it draws nothing (no <path> with a colour)",
} as const;

type LogoDetail = keyof typeof LOGO_DETAIL_TEMPLATES;
type Reason<P extends string> = Extract<LogoDetail, `logo-why-${P}-${string}`>;

const refuse = (code: "invalid_request" | "unsupported_media_type" | "payload_too_large" | "forbidden" | "not_found", key: LogoDetail, params?: Record<string, string | number>, reason?: LogoDetail) =>
  keyedError(code, LOGO_DETAIL_TEMPLATES, key, params, reason ? { parts: { reason } } : {});

/** A PNG refused for `reason` (exported for the web layer, which decodes the image once before storing it). */
export const pngRefused = (reason: Reason<"png">) => refuse("invalid_request", "logo-png-refused", undefined, reason);
const svgRefused = (reason: Reason<"svg">, params?: Record<string, string | number>) => refuse("invalid_request", "logo-svg-refused", params, reason);

/** The party's own API key, the admin of the bar that registered it, or the RBA's admin (as for its signing keys). */
export function assertMayChangePartyLogo(p: Principal, party: PartyRef): void {
  if (mayAdministerParty(p, party) || (p.role === "provider" && p.partyId === party.id)) return;
  throw refuse("forbidden", "logo-forbidden", { party: party.id });
}

export function logoMediaType(contentType: string | undefined): LogoMediaType {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (!(LOGO_MEDIA_TYPES as readonly string[]).includes(type)) throw refuse("unsupported_media_type", "logo-media-type");
  return type as LogoMediaType;
}

export const logoTooLarge = () => refuse("payload_too_large", "logo-too-large", { max: LOGO_MAX_BYTES });
export const noLogo = (party: string) => refuse("not_found", "logo-none", { party });

// ---- PNG -------------------------------------------------------------------------------------------------------

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Colour type → the bit depths PNG allows for it (ISO/IEC 15948, 11.2.2). */
const PNG_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

export interface PngInfo {
  width: number;
  height: number;
}

export function checkPng(bytes: Uint8Array): PngInfo {
  if (bytes.length < 8 + 25 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) throw pngRefused("logo-why-png-signature");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = (at: number) => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
  if (view.getUint32(8) !== 13 || type(12) !== "IHDR") throw pngRefused("logo-why-png-header");
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const [depth, colour, compression, filter, interlace] = [bytes[24]!, bytes[25]!, bytes[26]!, bytes[27]!, bytes[28]!];
  if (width === 0 || height === 0) throw pngRefused("logo-why-png-header");
  if (!PNG_DEPTHS[colour]?.includes(depth) || compression !== 0 || filter !== 0 || interlace > 1) throw pngRefused("logo-why-png-header");
  if (width > LOGO_MAX_PIXELS || height > LOGO_MAX_PIXELS) throw refuse("invalid_request", "logo-png-too-big", { width, height, max: LOGO_MAX_PIXELS });
  // Every chunk inside the file, an IDAT before IEND, and nothing after IEND.
  let at = 8;
  let idat = false;
  for (;;) {
    if (at + 12 > bytes.length) throw pngRefused("logo-why-png-truncated");
    const length = view.getUint32(at);
    const name = type(at + 4);
    if (length > bytes.length - at - 12) throw pngRefused("logo-why-png-truncated");
    if (name === "IDAT") idat = true;
    if (colour === 3 && name === "IDAT" && !seenPalette(bytes, view, at)) throw pngRefused("logo-why-png-no-data");
    at += 12 + length;
    if (name === "IEND") break;
  }
  if (!idat) throw pngRefused("logo-why-png-no-data");
  if (at !== bytes.length) throw pngRefused("logo-why-png-truncated");
  return { width, height };
}

/** Whether a PLTE chunk comes before the chunk at `until`. */
function seenPalette(bytes: Uint8Array, view: DataView, until: number): boolean {
  for (let at = 8; at < until; at += 12 + view.getUint32(at)) if (String.fromCharCode(...bytes.subarray(at + 4, at + 8)) === "PLTE") return true;
  return false;
}

// ---- SVG -------------------------------------------------------------------------------------------------------

export interface SvgPath {
  d: string;
  /** `#rrggbb`, or null for none. */
  fill: string | null;
  stroke: string | null;
  strokeWidth: number;
  evenOdd: boolean;
}

export interface SafeSvg {
  viewBox: [number, number, number, number];
  paths: SvgPath[];
}

const ELEMENTS = new Set(["svg", "g", "path", "title", "desc"]);
/** Attributes each element may carry; the paint attributes are inherited down from svg and g. */
const PAINT = ["fill", "fill-rule", "stroke", "stroke-width"];
const ATTRIBUTES: Record<string, Set<string>> = {
  svg: new Set(["xmlns", "version", "viewBox", "width", "height", "id", "class", ...PAINT]),
  g: new Set(["id", "class", ...PAINT]),
  path: new Set(["d", "id", "class", ...PAINT]),
  title: new Set(["id"]),
  desc: new Set(["id"]),
};
const NAMED_COLOURS: Record<string, string> = { black: "#000000", white: "#ffffff", red: "#ff0000", green: "#008000", blue: "#0000ff", gray: "#808080", grey: "#808080" };
const PATH_DATA = /^[MmLlHhVvCcSsQqTtAaZz0-9eE.,+\-\s]*$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function colour(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (v === "none" || v === "transparent") return null;
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  if (/^#[0-9a-f]{3}$/.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join("")}`;
  if (v in NAMED_COLOURS) return NAMED_COLOURS[v]!;
  throw svgRefused("logo-why-svg-colour", { value: value.slice(0, 40) });
}

/** The safe subset of an SVG logo (see the file's comment), or a refusal naming what is not in it. */
export function parseSafeSvg(bytes: Uint8Array): SafeSvg {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw svgRefused("logo-why-svg-not-text");
  }
  text = text.replace(/^\s*<\?xml[^?<>]*\?>/, "");
  if (text.includes("<!")) throw svgRefused("logo-why-svg-markup");
  if (text.includes("<?")) throw svgRefused("logo-why-svg-markup");
  if (text.includes("&")) throw svgRefused("logo-why-svg-markup");

  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const attribute = /\s+([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  type Paint = { fill: string | null; stroke: string | null; strokeWidth: number; evenOdd: boolean };
  const stack: { name: string; paint: Paint }[] = [];
  const paths: SvgPath[] = [];
  let viewBox: SafeSvg["viewBox"] | undefined;
  let seenRoot = false;
  let at = 0;
  while (at < text.length) {
    const next = text.indexOf("<", at);
    const between = text.slice(at, next < 0 ? text.length : next);
    const inText = stack.length > 0 && (stack[stack.length - 1]!.name === "title" || stack[stack.length - 1]!.name === "desc");
    if (between.trim() && !inText) throw svgRefused("logo-why-svg-malformed");
    if (next < 0) break;
    tag.lastIndex = next;
    const m = tag.exec(text);
    if (!m) throw svgRefused("logo-why-svg-malformed");
    at = tag.lastIndex;
    const [, closing, rawName, attrs, selfClosing] = m as unknown as [string, string, string, string, string];
    const name = rawName.toLowerCase() === "foreignobject" ? "foreignObject" : rawName;
    if (closing) {
      if (stack.pop()?.name !== name) throw svgRefused("logo-why-svg-malformed");
      continue;
    }
    if (name === "script") throw svgRefused("logo-why-svg-script");
    if (name === "foreignObject") throw svgRefused("logo-why-svg-foreign");
    if (!ELEMENTS.has(name)) throw svgRefused("logo-why-svg-element", { element: name.slice(0, 40) });
    if (inText) throw svgRefused("logo-why-svg-malformed");
    if (name === "svg" ? seenRoot || stack.length > 0 : stack.length === 0) throw svgRefused("logo-why-svg-malformed");
    if (name === "svg") seenRoot = true;
    const inherited: Paint = stack.length ? { ...stack[stack.length - 1]!.paint } : { fill: "#000000", stroke: null, strokeWidth: 1, evenOdd: false };
    const values = new Map<string, string>();
    for (const a of attrs.matchAll(attribute)) {
      const key = a[1]!;
      const value = a[2] ?? a[3] ?? "";
      const lower = key.toLowerCase();
      if (lower.startsWith("on")) throw svgRefused("logo-why-svg-event", { attribute: key.slice(0, 40) });
      if (lower === "href" || lower.endsWith(":href") || /url\s*\(/i.test(value)) throw svgRefused("logo-why-svg-reference");
      if (lower === "style") throw svgRefused("logo-why-svg-style");
      if (lower === "transform") throw svgRefused("logo-why-svg-transform");
      if (lower.startsWith("xmlns:")) continue; // a namespace declaration draws nothing and fetches nothing
      if (!ATTRIBUTES[name]!.has(key)) throw svgRefused("logo-why-svg-attribute", { attribute: key.slice(0, 40), element: name });
      values.set(key, value);
    }
    if (values.has("fill")) inherited.fill = colour(values.get("fill")!);
    if (values.has("stroke")) inherited.stroke = colour(values.get("stroke")!);
    if (values.has("fill-rule")) inherited.evenOdd = values.get("fill-rule")!.trim() === "evenodd";
    if (values.has("stroke-width")) {
      const w = values.get("stroke-width")!.trim();
      if (!NUMBER.test(w)) throw svgRefused("logo-why-svg-number");
      inherited.strokeWidth = Number(w);
    }
    if (name === "svg") {
      const numbers = (values.get("viewBox") ?? "").trim().split(/[\s,]+/);
      if (numbers.length === 4 && numbers.every((n) => NUMBER.test(n))) viewBox = numbers.map(Number) as SafeSvg["viewBox"];
      else {
        const [w, h] = [values.get("width"), values.get("height")].map((v) => (v !== undefined && NUMBER.test(v.trim().replace(/px$/, "")) ? Number(v.trim().replace(/px$/, "")) : NaN));
        if (!(w! > 0 && h! > 0)) throw svgRefused("logo-why-svg-viewbox");
        viewBox = [0, 0, w!, h!];
      }
      if (!(viewBox[2] > 0 && viewBox[3] > 0)) throw svgRefused("logo-why-svg-viewbox");
    }
    if (name === "path") {
      const d = values.get("d") ?? "";
      if (!PATH_DATA.test(d)) throw svgRefused("logo-why-svg-path-data");
      if (paths.length >= SVG_MAX_PATHS) throw svgRefused("logo-why-svg-too-many", { max: SVG_MAX_PATHS });
      if (d.trim() && (inherited.fill || inherited.stroke)) paths.push({ d: d.trim(), ...inherited });
    }
    if (!selfClosing) stack.push({ name, paint: inherited });
  }
  if (stack.length) throw svgRefused("logo-why-svg-malformed");
  if (!seenRoot || !viewBox) throw svgRefused("logo-why-svg-malformed");
  if (!paths.length) throw svgRefused("logo-why-svg-empty");
  return { viewBox, paths };
}

/** The bytes checked by their media type; throws the refusal that says what is wrong. */
export function checkLogo(mediaType: LogoMediaType, bytes: Uint8Array): void {
  if (bytes.length === 0) throw refuse("invalid_request", "logo-empty");
  if (bytes.length > LOGO_MAX_BYTES) throw logoTooLarge();
  if (mediaType === "image/png") checkPng(bytes);
  else parseSafeSvg(bytes);
}
