/**
 * Input hygiene that holds for every route, applied once where a request is read instead of route by route:
 * - no NUL character (U+0000) in the URL, in any string of a JSON body (keys too), in a form field or in a text body.
 *   SQLite stores one, PostgreSQL refuses it in `text` ("invalid byte sequence for encoding UTF8: 0x00"), which
 *   surfaced as a 500 after validation had passed; no field of this service has a use for one.
 * - a form body that cannot be parsed (multipart/form-data without its boundary, a broken body) is the sender's 400,
 *   not a 500.
 * - what is logged of a request path cannot forge log lines ({@link logSafePath}).
 *
 * The middleware wraps the request's body readers (`json`, `text`, `arrayBuffer`, `parseBody`) rather than reading
 * the body itself, so each route's body limit still applies before anything is read.
 */
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { SenimError, isSenimError } from "../domain/errors.js";
import { fieldProblem } from "../domain/field-problems.js";
import { fillTemplate } from "../lib/csv.js";
import { INPUT_T, pickLang, t } from "./i18n.js";
import { detailError } from "./problem.js";

const NUL = "\u0000";

/** Bodies read as JSON (no type too: /api/verify takes it as JSON). */
const JSONISH = /^$|^application\/([\w.-]+\+)?json$|^application\/vc$/;

/** Media types whose bytes are text: a 0x00 byte in them is a NUL character. */
const TEXTUAL = /^(text\/|application\/([\w.-]+\+)?(json|jwt|csv|x-www-form-urlencoded)$|application\/vc$)/;

/**
 * The path of the first string (or key) holding a NUL in a parsed JSON value or form, as `participants/3/fullName`
 * (`""` for the value itself); `undefined` when there is none. Iterative: a body nested 100,000 deep must not
 * overflow the stack. Files in a form are the route's to read.
 */
export function nulPath(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, ""]];
  const at = (path: string, key: string) => (path === "" ? key : `${path}/${key}`);
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes(NUL)) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], at(path, String(i))]);
    } else if (typeof v === "object" && v !== null && !(v instanceof Blob)) {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes(NUL)) return at(path, k.replaceAll(NUL, "\\u0000"));
        stack.push([child, at(path, k)]);
      }
    }
  }
  return undefined;
}

/** Whether a JSON text may hold a NUL once parsed: raw (invalid JSON, but a text body) or as the `\u0000` escape. */
const jsonMayHoldNul = (text: string): boolean => text.includes(NUL) || text.includes("\\u0000");

const mediaTypeOf = (c: Context): string => (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();

/** The refusal recorded for this request, kept because hono's JSON validator replaces what `json()` throws. */
const refusals = new WeakMap<object, SenimError>();

/** The input refusal this request met, if any: `onError` answers with it whatever a route or validator made of it. */
export const inputRefusal = (c: Context): SenimError | undefined => refusals.get(c.req);

function refuse(c: Context, err: SenimError): never {
  refusals.set(c.req, err);
  throw err;
}

/** A field's path as a refusal names it: bounded, since a key can be as long as the body. */
const shown = (field: string): string => (field.length > 200 ? `${field.slice(0, 200)}…` : field);

/** A NUL in a JSON, text or URL-encoded body: English, as API details are. */
function nulRefusal(c: Context, path: string): never {
  const field = shown(path);
  const problems = [fieldProblem(field, "nul-character")];
  refuse(c, field === "" ? detailError("invalid_request", "input-nul-in-body", {}, { problems }) : detailError("invalid_request", "input-nul-in-field", { field }, { problems }));
}

/** Refusals of a form (what browsers send, shown on a page): in the page's language. */
function formRefusal(c: Context, path: string | undefined): never {
  const field = path === undefined ? undefined : shown(path);
  const lang = pickLang(c);
  const detail = field === undefined ? t(INPUT_T.formUnreadable, lang) : fillTemplate(t(INPUT_T.nulInField, lang), { field });
  const problems = field === undefined ? [] : [fieldProblem(field, "nul-character")];
  refuse(c, new SenimError("invalid_request", detail, { problems }));
}

/** The field of a URL-encoded body that holds a NUL (`%00`, or a raw NUL), or `undefined`. */
function urlEncodedNulField(text: string): string | undefined {
  if (!text.includes("%00") && !text.includes(NUL)) return undefined;
  for (const [k, v] of new URLSearchParams(text)) if (k.includes(NUL) || v.includes(NUL)) return k.replaceAll(NUL, "\\u0000") || "body";
  return undefined;
}

/** Refuses NUL characters in the URL and wraps the body readers so that no body hands one to a route. */
export const inputHygiene: MiddlewareHandler = async (c, next) => {
  // The URL as sent (still percent-encoded): a NUL in a path segment or query parameter would reach a lookup.
  const url = c.req.url;
  if (url.includes("%00") || url.includes(NUL)) {
    refuse(c, detailError("invalid_request", "input-nul-in-url", {}, { problems: [fieldProblem("url", "nul-character")] }));
  }
  // Not `c.req.raw.body`: on Node that builds the platform Request (streams, an AbortController) for every request,
  // which the hot verify path otherwise never needs. Wrapping readers of a body-less request costs nothing.
  if (c.req.method === "GET" || c.req.method === "HEAD") return next();

  const req = c.req;
  const text = req.text.bind(req);
  const arrayBuffer = req.arrayBuffer.bind(req);
  const parseBody = req.parseBody.bind(req);

  req.text = async () => {
    const body = await text();
    if (mediaTypeOf(c) === "application/x-www-form-urlencoded") {
      const field = urlEncodedNulField(body);
      if (field !== undefined) nulRefusal(c, field);
    } else if (jsonMayHoldNul(body)) {
      // JSON (or text a route may parse as JSON): name the field when it parses. A JSON body that does not parse is
      // the route's invalid_json; any other text (a raw vc+jwt) with a raw NUL is refused here.
      let parsed: { value: unknown } | undefined;
      try {
        parsed = { value: JSON.parse(body) };
      } catch {
        parsed = undefined;
      }
      const field = parsed && nulPath(parsed.value);
      if (field !== undefined) nulRefusal(c, field);
      if (!parsed && !JSONISH.test(mediaTypeOf(c)) && body.includes(NUL)) nulRefusal(c, "");
    }
    return body;
  };

  // As hono's own json(): the body's text, parsed. Only a text that can hold a NUL is walked.
  req.json = (async () => {
    const body = await text();
    const value: unknown = JSON.parse(body);
    if (jsonMayHoldNul(body)) {
      const field = nulPath(value);
      if (field !== undefined) nulRefusal(c, field);
    }
    return value;
  }) as typeof req.json;

  // Bytes of a text body (a CSV upload, a form about to be parsed): a 0x00 byte is a NUL. Binary bodies pass as sent.
  req.arrayBuffer = async () => {
    const buffer = await arrayBuffer();
    if (TEXTUAL.test(mediaTypeOf(c)) && new Uint8Array(buffer).includes(0)) nulRefusal(c, "");
    return buffer;
  };

  req.parseBody = (async (options?: Parameters<typeof parseBody>[0]) => {
    let form: Awaited<ReturnType<typeof parseBody>>;
    try {
      form = await parseBody(options);
    } catch (err) {
      // The platform's FormData parser throws (a TypeError on Node and workerd) for a multipart body without a
      // boundary or a broken one: the sender's mistake. Our own refusals and HTTP exceptions pass as they are.
      if (isSenimError(err) || err instanceof HTTPException) throw err;
      formRefusal(c, undefined);
    }
    const field = nulPath(form);
    if (field !== undefined) formRefusal(c, field);
    return form;
  }) as typeof req.parseBody;

  return next();
};

/** Paths whose next segment is a bearer secret: the survey link's token. */
const SECRET_SEGMENTS = /^(\/survey\/)[^/]+/;

/** The longest path an access log line shows; the rest is cut with a marker. */
export const LOG_PATH_MAX = 256;

/**
 * A request path as one log line may show it: the path as sent (still percent-encoded, so `%0a` stays three
 * printable characters instead of becoming a line break that forges the next entry), every other character that is
 * not printable ASCII escaped as `\xNN` / `\u{…}` (a backslash too, so an escape cannot be faked), at most
 * {@link LOG_PATH_MAX} characters. The query is never shown, and a path segment that is itself a secret (the
 * participant's survey token, 7.5) is replaced by `[secret]`: secrets never reach a log.
 */
export function logSafePath(url: string): string {
  let path = url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (scheme) path = url.slice(scheme[0].length);
  path = path.split(/[?#]/, 1)[0] || "/";
  path = path.replace(SECRET_SEGMENTS, "$1[secret]");
  let out = "";
  for (const ch of path) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (code >= 0x21 && code <= 0x7e) out += ch;
    else out += code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
    if (out.length > LOG_PATH_MAX) return `${out.slice(0, LOG_PATH_MAX)}…(cut)`;
  }
  return out;
}
