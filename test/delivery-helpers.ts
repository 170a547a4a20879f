/** A real SMTP server on loopback (smtp-server) that keeps every message it accepts, parsed by mailparser. */
import { createServer, type IncomingMessage } from "node:http";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "./helpers.js";

export interface LoopbackSmtp {
  url: string;
  received: ParsedMail[];
  /** Set to a reply (e.g. "550 5.7.1 Mailbox refuses"), to refuse every message with it; `null` accepts. */
  refuse: { code: number; message: string } | null;
  /** Waits until at least `n` messages have been accepted. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startLoopbackSmtp(): Promise<LoopbackSmtp> {
  const port = await freePort();
  const state: LoopbackSmtp = {
    url: `smtp://127.0.0.1:${port}`,
    received: [],
    refuse: null,
    waitFor: async (n, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (state.received.length < n) {
        if (Date.now() > deadline) throw new Error(`SMTP server received ${state.received.length} of ${n} messages`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 20 * 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (state.refuse) {
          const err = Object.assign(new Error(state.refuse.message), { responseCode: state.refuse.code });
          return callback(err);
        }
        // Accepted only once parsed, so `received` holds exactly what the server said 250 to.
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            state.received.push(mail);
            callback();
          },
          (err) => callback(err),
        );
      });
    },
  });
  // A client killed mid-session (the kill -9 test) resets its socket; smtp-server reports that as an 'error' event,
  // which without a listener would be an uncaught exception in the test process. A reset is the test's own doing;
  // anything else fails loudly.
  server.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "ECONNRESET" && err.code !== "EPIPE") throw err;
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return state;
}

/** A loopback HTTP mail API (the Workers runtime's transport): keeps each JSON POST it accepts, or refuses with 422. */
export interface LoopbackMailApi {
  url: string;
  received: { auth: string | undefined; body: any }[];
  /** `true`: every message is refused with 422, as a mail API refuses an invalid recipient. */
  refuse: boolean;
  close(): Promise<void>;
}

export async function startLoopbackMailApi(): Promise<LoopbackMailApi> {
  const port = await freePort();
  const server = createServer((req: IncomingMessage, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      if (state.refuse) {
        res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ message: "Invalid `to` field" }));
        return;
      }
      state.received.push({ auth: req.headers.authorization, body: JSON.parse(data) });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: String(state.received.length) }));
    });
  });
  const state: LoopbackMailApi = {
    url: `http://127.0.0.1:${port}/emails`,
    received: [],
    refuse: false,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return state;
}
