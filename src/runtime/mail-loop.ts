/** The Node sender: drains the outbox in a loop while the process runs (src/runtime/node.ts starts it). */
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
