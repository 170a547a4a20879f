/**
 * A browser without JavaScript, for the consoles' HTML tests: keeps the session cookie, posts forms with the CSRF
 * token of the last page it read, and follows redirects when asked. Requests go to the app in this process.
 */
export interface ConsoleResponse {
  status: number;
  location: string | null;
  setCookie: string | null;
  type: string;
  disposition: string | null;
  bytes: Uint8Array;
  text: string;
}

export function consoleBrowser(app: { request(url: string, init: RequestInit): Response | Promise<Response> }, origin = "https://senim.test") {
  let cookie = "";
  let csrf = "";
  const request = async (method: string, path: string, form?: Record<string, string | string[]>): Promise<ConsoleResponse> => {
    const body = form ? new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))) : undefined;
    const res = await app.request(origin + path, { method, body, headers: { cookie, accept: "text/html", ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) } });
    const set = res.headers.get("set-cookie");
    // Signing out sets an empty session cookie: the browser then has none.
    if (set?.startsWith("senim_session=")) cookie = set.split(";")[0]!.endsWith("=") ? "" : set.split(";")[0]!;
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    csrf = /name="_csrf" value="([0-9a-f]{64})"/.exec(text)?.[1] ?? csrf;
    return { status: res.status, location: res.headers.get("location"), setCookie: set, type: res.headers.get("content-type") ?? "", disposition: res.headers.get("content-disposition"), bytes, text };
  };
  const browser = {
    get: (path: string) => request("GET", path),
    /** A GET that follows the service's redirects (same origin), as a browser does. */
    open: async (path: string) => {
      let res = await request("GET", path);
      for (let hops = 0; res.status >= 300 && res.status < 400 && res.location && hops < 5; hops++) res = await request("GET", res.location.replace(origin, ""));
      return res;
    },
    post: (path: string, form: Record<string, string | string[]>, withCsrf = true) => request("POST", path, withCsrf ? { _csrf: csrf, ...form } : form),
    /** Signs in to the console with an API key and opens its home page (which hands out the CSRF token). */
    signIn: async (apiKey: string) => {
      await request("POST", "/console/sign-in", { apiKey });
      return request("GET", "/console");
    },
    get cookie() {
      return cookie;
    },
  };
  return browser;
}
