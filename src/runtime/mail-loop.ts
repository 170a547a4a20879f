/** The Node sender: drains the outbox in a loop while the process runs (src/runtime/node.ts starts it). */
import type { ReminderService } from "../compliance/reminders.js";
import type { DeliveryService, MailTransport, MessageComposer } from "../delivery/service.js";

export function startDrainLoop(o: { delivery: DeliveryService; transport: MailTransport; compose: MessageComposer; pollMs: number; batch?: number; log?: (line: string) => void }): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = (await o.delivery.drain(o.transport, o.compose, o.batch ?? 50)).claimed;
      } catch (err) {
        // The database may be briefly away; the rows stay where they are and the next round tries again.
        o.log?.(`Delivery round failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      // A full round may leave more due at once; an empty one waits.
      if (claimed === 0 && !stopped) await new Promise<void>((r) => ((wake = r), setTimeout(r, o.pollMs)));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

/**
 * Issue 13: queues the reminders that are due (ReminderService.run) at start and then every `intervalMs`, beside the
 * drain loop, which sends them. Every instance runs it; the reminders' derived ids keep them from doubling, and a
 * (bar, date) already done costs three small reads, so a poll every few minutes is cheap.
 */
export function startReminderLoop(o: { reminders: ReminderService; intervalMs: number; log?: (line: string) => void }): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = (async () => {
    while (!stopped) {
      try {
        const r = await o.reminders.run();
        if (r.queued + r.noAddress > 0) o.log?.(`Reminders for ${r.year}: ${r.queued} queued, ${r.noAddress} without an address.`);
      } catch (err) {
        // As the drain loop: the dates stay due, the next round tries again.
        o.log?.(`Reminder round failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!stopped) await new Promise<void>((r) => ((wake = r), (timer = setTimeout(r, o.intervalMs))));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer); // a ten-minute timer must not hold the process open
      wake?.();
      await loop;
    },
  };
}
