/**
 * Reminders (issue 13): a bar sets, per year, the dates on which its members who are short of the year's requirement
 * are reminded by e-mail (default 1 November and 1 December), with their hours, the requirement and a link to /me.
 * Rules in src/domain/reminders.ts; the message is composed in src/http/reminder-mail.ts.
 *
 * `run()` is called by every sender (each Node instance's timer, the Worker's cron): for each territorial bar with a
 * requirement set and a due date not yet done, it builds the compliance report (the same assessment the bar and /me
 * see), and writes a log row and an outbox row (kind `reminder`, same id) for each member whose status is `short`,
 * in one atomic write per batch of members, both with ON CONFLICT DO NOTHING. The id is derived from (bar, year, date,
 * licence), so concurrent or repeated runs write each member's reminder for a date once. Once a date's rows are
 * written the run is marked done, so later polls read three small tables and build no report.
 */
import { assertMayManageReminders, describePrincipal, type Principal } from "../domain/authz.js";
import { RBA_ID } from "../domain/catalog.js";
import { keyedError } from "../domain/errors.js";
import { deliveryState, type DeliveryState, type MessageLang, type OutboxStatus } from "../domain/outbox.js";
import { defaultReminderDates, dueReminderDates, planReminderRun, reminderKey, reminderYearAt, validateReminderDates } from "../domain/reminders.js";
import { kzDate } from "../domain/time.js";
import { sha256Hex } from "../lib/ids.js";
import type { RegistryService } from "../registry/service.js";
import type { ComplianceService } from "./service.js";

/** The refusals of reminder schedules, in English with `{name}` values; kk and ru: the catalogues' problemDetails. */
export const REMINDER_DETAIL_TEMPLATES = {
  "reminders-bar-unknown": "No territorial bar {id}.",
  "reminders-year-out-of-range": "year must be between 2000 and 2100.",
  "reminders-dates-invalid": "The reminder dates for {year} are not valid; nothing was stored.",
} as const;

export interface StoredReminderSchedule {
  barId: string;
  year: number;
  /** Sorted `YYYY-MM-DD` dates within the year. */
  dates: string[];
  updatedAt: string;
  updatedBy: string;
}

/** One reminder of one member for one date, with the hours and the requirement as they were when it was queued. */
export interface Reminder {
  id: string;
  barId: string;
  year: number;
  date: string;
  licence: string;
  fullName: string;
  /** The member record's e-mail when queued; `null`: none, logged as `no_address`. */
  toAddress: string | null;
  /** The language of the member's latest /me sign-in code request; `null`: none, Kazakh and Russian together. */
  lang: MessageLang | null;
  /** Tenths of an academic hour (10.6), as the report showed them (one decimal). */
  verifiedTenths: number;
  requiredTenths: number;
  /** 10.2 applied and Foundations was not yet attended: a reason to be short besides the hours. */
  foundationsMissing: boolean;
  createdAt: string;
}

/** A reminder with what became of its message (its outbox row). */
export interface ReminderWithDelivery extends Reminder {
  status: OutboxStatus;
  attempts: number;
  sentAt: string | null;
  lastError: string | null;
}

/** A (bar, year, date) run that completed; `supersededBy`: closed without reminding, by a later date due with it. */
export interface ReminderRun {
  barId: string;
  year: number;
  date: string;
  completedAt: string;
  supersededBy: string | null;
}

export interface ReminderStore {
  getSchedule(barId: string, year: number): Promise<StoredReminderSchedule | undefined>;
  putSchedule(s: StoredReminderSchedule): Promise<void>;
  schedulesOf(year: number): Promise<StoredReminderSchedule[]>;
  runsOf(year: number, barId?: string): Promise<ReminderRun[]>;
  /** Bars whose policy for the year sets a number of hours: only their members can be short. */
  barsWithRequirement(year: number): Promise<string[]>;
  /** Per licence: the member record's e-mail and the language of the latest /me sign-in code request. */
  contacts(barId: string, licences: string[]): Promise<Map<string, { email: string | null; lang: MessageLang | null }>>;
  /**
   * The reminders and their outbox rows (kind `reminder`, same id; `no_address` without an e-mail) in one atomic
   * write, each INSERT with ON CONFLICT DO NOTHING. Returns the ids this call wrote (the others existed already).
   */
  insertReminders(reminders: Reminder[]): Promise<string[]>;
  /** Marks runs done; a mark already there stays as it was. */
  completeRuns(runs: ReminderRun[]): Promise<void>;
  get(id: string): Promise<Reminder | undefined>;
  log(barId: string, year: number): Promise<ReminderWithDelivery[]>;
}

export interface ReminderScheduleView {
  barId: string;
  year: number;
  /** `false` while the bar has not set dates for the year: the defaults apply. */
  configured: boolean;
  dates: string[];
  defaults: string[];
  updatedAt: string | null;
  updatedBy: string | null;
}

/** `missed`: the year ended before the date could run (the server was down from before it to the year's end). */
export type ReminderDateState = "scheduled" | "due" | "done" | "superseded" | "missed";

export interface ReminderLogEntry {
  id: string;
  date: string;
  licence: string;
  fullName: string;
  toAddress: string | null;
  lang: MessageLang | null;
  verifiedHours: number;
  requiredHours: number;
  /** Hours still missing (0 when only Foundations is missing, 10.2). */
  shortHours: number;
  foundationsMissing: boolean;
  queuedAt: string;
  state: DeliveryState;
  attempts: number;
  sentAt: string | null;
  lastError: string | null;
}

export interface ReminderLog {
  barId: string;
  year: number;
  schedule: ReminderScheduleView;
  /** Every date set now or run before: its state and how many members it reminded. */
  dates: { date: string; state: ReminderDateState; completedAt: string | null; supersededBy: string | null; reminded: number }[];
  reminders: ReminderLogEntry[];
}

export interface ReminderRunResult {
  year: number;
  /** Reminders this call wrote (with an address: queued; without: logged as no address). */
  queued: number;
  noAddress: number;
  /** The (bar, date) runs this call completed or closed as superseded. */
  completed: { barId: string; date: string; supersededBy: string | null }[];
}

/** Members per atomic write: one reminder and one outbox row each; small enough for D1's batch, few round trips. */
const MEMBERS_PER_WRITE = 200;

const tenths = (hours: number) => Math.round(hours * 10);

export class ReminderService {
  constructor(private readonly deps: { store: ReminderStore; registry: RegistryService; compliance: Pick<ComplianceService, "buildReport"> }) {}

  private async territorialBar(barId: string): Promise<void> {
    const bar = await this.deps.registry.bar(barId);
    // Reminders go to members, and only territorial bars have members.
    if (!bar || bar.id === RBA_ID) throw keyedError("not_found", REMINDER_DETAIL_TEMPLATES, "reminders-bar-unknown", { id: JSON.stringify(barId) });
  }

  private static yearInRange(year: number): void {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw keyedError("invalid_request", REMINDER_DETAIL_TEMPLATES, "reminders-year-out-of-range");
  }

  private static view(barId: string, year: number, s: StoredReminderSchedule | undefined): ReminderScheduleView {
    const defaults = defaultReminderDates(year);
    return { barId, year, configured: s !== undefined, dates: s?.dates ?? defaults, defaults, updatedAt: s?.updatedAt ?? null, updatedBy: s?.updatedBy ?? null };
  }

  async schedule(p: Principal, barId: string, year: number): Promise<ReminderScheduleView> {
    assertMayManageReminders(p, barId);
    ReminderService.yearInRange(year);
    await this.territorialBar(barId);
    return ReminderService.view(barId, year, await this.deps.store.getSchedule(barId, year));
  }

  /**
   * The bar's dates for a year, replacing the earlier ones (or the defaults). A date already past is due at once
   * (until the year ends); reminders already sent stay in the log whatever the dates become.
   */
  async setSchedule(p: Principal, barId: string, year: number, dates: readonly string[]): Promise<ReminderScheduleView> {
    assertMayManageReminders(p, barId);
    ReminderService.yearInRange(year);
    await this.territorialBar(barId);
    const checked = validateReminderDates(year, dates);
    if (checked.dates === undefined) throw keyedError("invalid_request", REMINDER_DETAIL_TEMPLATES, "reminders-dates-invalid", { year }, { problems: checked.problems });
    const s: StoredReminderSchedule = { barId, year, dates: checked.dates, updatedAt: this.deps.registry.now(), updatedBy: describePrincipal(p) };
    await this.deps.store.putSchedule(s);
    return ReminderService.view(barId, year, s);
  }

  /** Who was reminded, for which date, with what hours, and what became of each message. */
  async log(p: Principal, barId: string, year: number): Promise<ReminderLog> {
    assertMayManageReminders(p, barId);
    ReminderService.yearInRange(year);
    await this.territorialBar(barId);
    const [stored, runs, rows] = await Promise.all([this.deps.store.getSchedule(barId, year), this.deps.store.runsOf(year, barId), this.deps.store.log(barId, year)]);
    const schedule = ReminderService.view(barId, year, stored);
    const now = this.deps.registry.now();
    const today = kzDate(now);
    const due = new Set(dueReminderDates(year, schedule.dates, now));
    const runOf = new Map(runs.map((r) => [r.date, r]));
    const reminded = new Map<string, number>();
    for (const r of rows) reminded.set(r.date, (reminded.get(r.date) ?? 0) + 1);
    const dates = [...new Set([...schedule.dates, ...runs.map((r) => r.date), ...reminded.keys()])].sort().map((date) => {
      const run = runOf.get(date);
      const state: ReminderDateState = run ? (run.supersededBy ? "superseded" : "done") : due.has(date) ? "due" : date <= today ? "missed" : "scheduled";
      return { date, state, completedAt: run?.completedAt ?? null, supersededBy: run?.supersededBy ?? null, reminded: reminded.get(date) ?? 0 };
    });
    const reminders = rows.map((r): ReminderLogEntry => ({
      id: r.id,
      date: r.date,
      licence: r.licence,
      fullName: r.fullName,
      toAddress: r.toAddress,
      lang: r.lang,
      verifiedHours: r.verifiedTenths / 10,
      requiredHours: r.requiredTenths / 10,
      shortHours: Math.max(0, r.requiredTenths - r.verifiedTenths) / 10,
      foundationsMissing: r.foundationsMissing,
      queuedAt: r.createdAt,
      state: deliveryState(r),
      attempts: r.attempts,
      sentAt: r.sentAt,
      lastError: r.lastError,
    }));
    return { barId, year, schedule, dates, reminders };
  }

  /** One reminder, for its message (the sender reads it by the outbox row's id). */
  get(id: string): Promise<Reminder | undefined> {
    return this.deps.store.get(id);
  }

  /**
   * Queues the reminders due now, in every territorial bar. Safe to call often and from many runners at once: a
   * (bar, date) already done costs no report, and a member is written once per date whoever writes first.
   */
  async run(): Promise<ReminderRunResult> {
    const now = this.deps.registry.now();
    const year = reminderYearAt(now);
    const result: ReminderRunResult = { year, queued: 0, noAddress: 0, completed: [] };
    const [bars, schedules, runs, withRequirement] = await Promise.all([
      this.deps.registry.bars(),
      this.deps.store.schedulesOf(year),
      this.deps.store.runsOf(year),
      this.deps.store.barsWithRequirement(year),
    ]);
    const datesOf = new Map(schedules.map((s) => [s.barId, s.dates]));
    const doneOf = new Map<string, Set<string>>();
    for (const r of runs) (doneOf.get(r.barId) ?? doneOf.set(r.barId, new Set()).get(r.barId)!).add(r.date);
    const required = new Set(withRequirement);
    for (const bar of bars) {
      // Without a requirement nobody is short: the dates stay due, so a requirement set later in the year still
      // brings the reminder of a date already passed.
      if (bar.kind !== "territorial" || !required.has(bar.id)) continue;
      const due = dueReminderDates(year, datesOf.get(bar.id) ?? defaultReminderDates(year), now);
      const plan = planReminderRun(due, doneOf.get(bar.id) ?? new Set());
      if (plan.remind === undefined && plan.supersede.length === 0) continue;
      if (plan.remind !== undefined) {
        const written = await this.remindBar(bar.id, year, plan.remind, now);
        result.queued += written.queued;
        result.noAddress += written.noAddress;
      }
      // Marked only once every reminder of the date is written: a runner that dies half-way leaves the date due, and
      // the next one writes the rest (the ones already written are skipped by their ids).
      const marks: ReminderRun[] = [
        ...plan.supersede.map((s) => ({ barId: bar.id, year, date: s.date, completedAt: now, supersededBy: s.by })),
        ...(plan.remind !== undefined ? [{ barId: bar.id, year, date: plan.remind, completedAt: now, supersededBy: null }] : []),
      ];
      await this.deps.store.completeRuns(marks);
      result.completed.push(...marks.map((m) => ({ barId: m.barId, date: m.date, supersededBy: m.supersededBy })));
    }
    return result;
  }

  private async remindBar(barId: string, year: number, date: string, now: string): Promise<{ queued: number; noAddress: number }> {
    const report = await this.deps.compliance.buildReport(barId, year);
    const short = report.members.filter((m) => m.status === "short" && m.requiredHours !== null);
    if (short.length === 0) return { queued: 0, noAddress: 0 };
    const contacts = await this.deps.store.contacts(barId, short.map((m) => m.licence));
    const reminders = await Promise.all(
      short.map(async (m): Promise<Reminder> => {
        const c = contacts.get(m.licence);
        return {
          id: (await sha256Hex(reminderKey(barId, year, date, m.licence))).slice(0, 32),
          barId, year, date, licence: m.licence, fullName: m.fullName, toAddress: c?.email ?? null, lang: c?.lang ?? null,
          verifiedTenths: tenths(m.verifiedHours), requiredTenths: tenths(m.requiredHours!), foundationsMissing: m.foundationsRequired && !m.foundationsDone, createdAt: now,
        };
      }),
    );
    // One order for every runner (by id), so concurrent writers meet the same rows in the same order and never wait
    // on each other crosswise.
    reminders.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let queued = 0;
    let noAddress = 0;
    for (let i = 0; i < reminders.length; i += MEMBERS_PER_WRITE) {
      const batch = reminders.slice(i, i + MEMBERS_PER_WRITE);
      const written = new Set(await this.deps.store.insertReminders(batch));
      for (const r of batch) if (written.has(r.id)) r.toAddress ? queued++ : noAddress++;
    }
    return { queued, noAddress };
  }
}
