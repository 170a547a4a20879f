/**
 * One speed-up to jsonld.js, installed once per process by whoever signs or verifies Data Integrity proofs.
 *
 * jsonld.js caches a processed context by the identity of the active context it was processed against. But each
 * time it enters a node whose type has a scoped context (VerifiableCredential, Achievement, AchievementSubject,
 * Profile, IdentityObject…) it first deep-copies the active context — every term definition of VC 2.0 + Open Badges
 * 3.0 + CLE — and looks the scoped context up against that brand-new copy, so the cache never hits: every
 * certificate re-processes every scoped context, and the copies dominate canonicalisation (profiles: about half of
 * an eddsa-rdfc-2022 signature's time, with the garbage they leave).
 *
 * The replacement `clone`:
 *  - shares the term definition objects (jsonld never changes a definition once it is in a context: redefining a
 *    term puts a new object in the map), copying only the Map and the `protected` record, as the deep copy does;
 *  - hands back the same copy of an active context each time as long as neither changed since (term definitions
 *    added or removed, counted by the map; `@base`, `@vocab`, `@language`, `@direction`, `@version`), except for the
 *    copy jsonld is about to define a new context's terms in, which is always its own. The only thing callers set on
 *    a shared copy is `previousContext` = the context it is a copy of, whose content it equals, so reverting to it
 *    changes nothing. A changed copy is never reused.
 * With stable copies, jsonld's own processed-context cache hits. Tests check that canonical N-Quads of many
 * documents are identical with and without it, and the published vectors are reproduced with it installed.
 *
 * Installed on jsonld's cached initial context, from which every active context inherits `clone`.
 *
 * It reaches into jsonld's internals, so it is written for one release: package.json pins jsonld to exactly
 * `PATCHED_JSONLD_VERSION`, and with any other release installed the patch stays off (one warning) and jsonld runs
 * at its own speed, correct either way.
 */
import jsonld from "jsonld";
import jsonldPackage from "jsonld/package.json" with { type: "json" };
import ResolvedContext from "jsonld/lib/ResolvedContext.js";

/** The jsonld release whose internals the patch was written against and checked on (the N-Quads comparison test). */
export const PATCHED_JSONLD_VERSION = "9.0.0";

/** Whether the patch may be installed on this jsonld release; says once, on the console, why not. */
export function speedupFitsJsonLd(installed: string, warn: (message: string) => void = console.warn): boolean {
  if (installed === PATCHED_JSONLD_VERSION) return true;
  warn(`jsonld ${installed} is installed; the canonicalisation speed-up was written for ${PATCHED_JSONLD_VERSION} and stays off (correct, slower).`);
  return false;
}

interface ActiveContext {
  mappings: Map<string, unknown>;
  protected: Record<string, boolean>;
  previousContext?: ActiveContext;
  clone: () => ActiveContext;
  [k: string]: unknown;
}

/** A Map that counts the changes made to it after it was built. */
class TrackedMap<K, V> extends Map<K, V> {
  // Initialised after Map's constructor has copied the entries in with set().
  version = 0;
  override set(key: K, value: V): this {
    this.version++;
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.version++;
    return super.delete(key);
  }
  override clear(): void {
    this.version++;
    super.clear();
  }
}

const SCALARS = ["@base", "@vocab", "@language", "@direction", "@version", "processingMode"] as const;
/** The copy handed out for an active context, and the parent's version when it was made. */
const reusable = new WeakMap<ActiveContext, { copy: ActiveContext; parentVersion: number }>();

/** The copy still equals a fresh one: neither it nor its parent changed, and nothing else was set on it. */
function stillFresh(entry: { copy: ActiveContext; parentVersion: number }, parent: ActiveContext): boolean {
  const { copy } = entry;
  if ((copy.mappings as TrackedMap<string, unknown>).version !== 0) return false;
  if ((parent.mappings as TrackedMap<string, unknown>).version !== entry.parentVersion) return false;
  if (parent.previousContext !== undefined) {
    // Its previous context must still be what cloning the parent's previous context gives now (itself reused).
    if (copy.previousContext !== parent.previousContext.clone()) return false;
  } else if (copy.previousContext !== undefined && copy.previousContext !== parent) {
    // Only the caller that asked for a non-propagating copy sets this, always to the parent.
    return false;
  }
  for (const k of SCALARS) if (copy[k] !== (k === "processingMode" || k === "@version" || k === "@direction" ? undefined : parent[k])) return false;
  return true;
}

/**
 * Set when jsonld just looked a processed context up and missed: its very next clone is the one it will fill with
 * the new context's terms (context.js "clone context before updating it"), which must be a copy of its own, never
 * one handed out elsewhere (those may carry a `previousContext` their caller set). The lookup and that clone run
 * with no await between them, so no other operation can interleave.
 */
let aboutToDefineTerms = false;

function shareDefinitionsClone(this: ActiveContext): ActiveContext {
  // Only contexts whose changes are counted (made by this function) are safe to hand the same copy of.
  const tracked = this.mappings instanceof TrackedMap && !aboutToDefineTerms;
  aboutToDefineTerms = false;
  if (tracked) {
    const entry = reusable.get(this);
    if (entry && stillFresh(entry, this)) return entry.copy;
  }
  const child: ActiveContext = {
    mappings: new TrackedMap(this.mappings),
    clone: this.clone,
    inverse: null,
    getInverse: this.getInverse,
    protected: { ...this.protected },
    revertToPreviousContext: this.revertToPreviousContext,
  };
  if (this.previousContext) child.previousContext = this.previousContext.clone();
  for (const k of ["@base", "@language", "@vocab"]) if (k in this) child[k] = this[k];
  if (tracked) reusable.set(this, { copy: child, parentVersion: (this.mappings as TrackedMap<string, unknown>).version });
  return child;
}

let installing: Promise<boolean> | undefined;

/**
 * Idempotent; resolves to whether the speed-up is in place (it is skipped, and everything still works at library
 * speed, if jsonld's internals are not shaped as expected).
 */
export function installJsonLdSpeedup(): Promise<boolean> {
  installing ??= (async () => {
    if (!speedupFitsJsonLd(String((jsonldPackage as { version?: unknown }).version))) return false;
    // The public API hands out the cached initial context: `processContext(null, null)` returns it as is.
    const initial = (await jsonld.processContext(null, null)) as Partial<ActiveContext> | undefined;
    if (!initial || !(initial.mappings instanceof Map) || typeof initial.clone !== "function" || typeof initial.protected !== "object") return false;
    const lookup = ResolvedContext.prototype.getProcessed;
    if (typeof lookup !== "function") return false;
    ResolvedContext.prototype.getProcessed = function (this: unknown, activeCtx: unknown) {
      const processed = lookup.call(this, activeCtx);
      aboutToDefineTerms = processed === undefined;
      return processed;
    };
    initial.clone = shareDefinitionsClone;
    return true;
  })();
  return installing;
}

