/**
 * Browser tests' harness: a real Senim on a real HTTP port (Node server, SQLite file, static files from public/ as
 * the Node runtime serves them), and Debian's Chromium driven by playwright-core. No browser is downloaded.
 */
import { serve, type ServerType } from "@hono/node-server";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { freePort, startSenim, type StartOptions, type TestSenim } from "../helpers.js";

const PUBLIC_DIR = fileURLToPath(new URL("../../public/", import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const TYPES: Record<string, string> = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

/** Debian's Chromium; the wrapper at /usr/bin/chromium execs this binary. */
export const CHROMIUM = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => {
  try {
    readFileSync(p, { flag: "r" }).subarray(0, 1);
    return true;
  } catch {
    return false;
  }
});

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

export interface LiveSenim extends TestSenim {
  origin: string;
}

/** Senim listening on 127.0.0.1 with its public URL set to that origin, so QR codes and did:web resolve to it. */
export async function startLiveSenim(options: Omit<StartOptions, "publicUrl"> = {}): Promise<{ senim: LiveSenim; stop: () => Promise<void> }> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const senim = await startSenim({ ...options, publicUrl: origin });
  const server: ServerType = serve({
    port,
    hostname: "127.0.0.1",
    fetch: (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/styles.css" || path === "/sw.js" || path.startsWith("/js/")) {
        const file = normalize(join(PUBLIC_DIR, path));
        if (file.startsWith(PUBLIC_DIR)) {
          try {
            return new Response(readFileSync(file), { headers: { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" } });
          } catch {
            /* not a static file: the app answers */
          }
        }
      }
      return senim.app.fetch(req);
    },
  });
  return {
    senim: Object.assign(senim, { origin }),
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await senim.close();
    },
  };
}

/**
 * One Chromium per test file, headless, with a fresh profile (Playwright's persistent context is how a user-data-dir
 * is given) and no network beyond what pages ask of 127.0.0.1.
 */
export async function launchChromium(extraArgs: string[] = [], locale = "kk-KZ"): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!CHROMIUM) throw new Error("Chromium is not installed: apt-get install chromium (.ci/run does)");
  const profile = mkdtempSync(join(tmpdir(), "senim-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale,
    viewport: PHONE,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync", ...extraArgs],
  });
  // Fail fast with the step's own message rather than at the test's timeout.
  context.setDefaultTimeout(8_000);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot under test-artifacts/ (gitignored), kept for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Every script the page loaded, by URL, with its size in bytes (the 100 KB budget). */
export function scriptBudget(page: Page): { total: (paths?: string[]) => number; urls: () => string[] } {
  const sizes = new Map<string, number>();
  page.on("response", async (res) => {
    if (res.request().resourceType() !== "script") return;
    // Recorded before the body is read: a page that navigates away at once (a camera scan that decodes the first
    // frame) leaves no body to read, and then the declared length stands in for it.
    sizes.set(res.url(), Number(res.headers()["content-length"] ?? 0));
    try {
      sizes.set(res.url(), (await res.body()).length);
    } catch {
      /* navigated away */
    }
  });
  return {
    total: (paths) => [...sizes].filter(([u]) => !paths || paths.some((p) => u.endsWith(p))).reduce((a, [, n]) => a + n, 0),
    urls: () => [...sizes.keys()],
  };
}

/**
 * What an automated accessibility pass can see on the current page: form fields without a label (a <label> or
 * aria-label), and visible text whose WCAG 2 contrast against its effective background is below 4.5:1.
 */
export async function a11yProblems(page: Page): Promise<string[]> {
  const unlabelled = await page.locator("input:not([type=hidden]), select, textarea").evaluateAll((els) =>
    els.filter((e) => !((e as HTMLInputElement).labels?.length || e.getAttribute("aria-label"))).map((e) => `unlabelled: ${e.outerHTML.slice(0, 80)}`),
  );
  const lowContrast = await page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const background = (el: Element | null): number[] => {
      for (; el; el = el.parentElement) {
        const c = rgb(getComputedStyle(el).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const bad: string[] = [];
    for (const el of document.querySelectorAll("body *")) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
      if (!own || !(el as HTMLElement).offsetParent) continue;
      const [a, b] = [lum(rgb(getComputedStyle(el).color).slice(0, 3)), lum(background(el))].sort((x, y) => y - x);
      const ratio = (a! + 0.05) / (b! + 0.05);
      if (ratio < 4.5) bad.push(`contrast ${ratio.toFixed(2)}: ${el.tagName} ${el.textContent!.trim().slice(0, 30)}`);
    }
    return bad;
  });
  return [...unlabelled, ...lowContrast];
}
