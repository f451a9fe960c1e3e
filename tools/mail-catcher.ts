// A local SMTP catcher: accepts every mail on loopback, keeps it in memory, and (optionally)
// lists it on a small HTTP inbox page. Tests run it in-process; scripts/up starts it when
// SMTP_URL is not set:  tsx tools/mail-catcher.ts  (prints the SMTP URL and the inbox URL)
import http from "node:http";
import type net from "node:net";
import path from "node:path";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  id: number;
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  receivedAt: Date;
}

export interface MailCatcher {
  smtpUrl: string;
  smtpPort: number;
  inboxUrl?: string;
  mails: CaughtMail[];
  /** Addresses the server refuses with "550 no such mailbox", as a real server would. */
  refuse: Set<string>;
  close(): Promise<void>;
}

const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? ""));

function smtpServer(catcher: Pick<MailCatcher, "mails" | "refuse">): SMTPServer {
  return new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!catcher.refuse.has(address.address.toLowerCase())) return callback();
      callback(Object.assign(new Error("no such mailbox"), { responseCode: 550 }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          catcher.mails.push({
            id: catcher.mails.length + 1,
            messageId: parsed.messageId ?? "",
            from: addresses(parsed.from)[0] ?? "",
            to: addresses(parsed.to),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            receivedAt: new Date(),
          });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function inboxPage(mails: CaughtMail[]): string {
  const rows = [...mails]
    .reverse()
    .map((m) => `<li><a href="/mail/${m.id}">${escapeHtml(m.subject)}</a> to ${escapeHtml(m.to.join(", "))} <small>${m.receivedAt.toISOString()}</small></li>`)
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local inbox</title></head><body><h1>Local inbox (${mails.length})</h1><ul>${rows || "<li>No mail yet.</li>"}</ul></body></html>`;
}

function inboxServer(mails: CaughtMail[]): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const one = /^\/mail\/(\d+)(\.txt)?$/.exec(url.pathname);
    if (url.pathname === "/") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(inboxPage(mails));
    if (url.pathname === "/api/messages") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(mails));
    const mail = one ? mails.find((m) => m.id === Number(one[1])) : undefined;
    if (!mail) return void res.writeHead(404).end("not found");
    // The mail's own HTML is shown as sent: it came from this machine's app, on loopback only.
    if (one?.[2]) return void res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(mail.text);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(mail.html || `<pre>${escapeHtml(mail.text)}</pre>`);
  });
}

const listen = (server: net.Server, port: number) =>
  new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
  });

const closeServer = (server: { close(cb: () => void): void }) => new Promise<void>((resolve) => server.close(() => resolve()));

/** Starts the catcher on loopback (port 0: a free port); `inbox` adds the HTTP inbox page. */
export async function startMailCatcher(opts: { smtpPort?: number; inbox?: boolean; inboxPort?: number } = {}): Promise<MailCatcher> {
  const state = { mails: [] as CaughtMail[], refuse: new Set<string>() };
  const smtp = smtpServer(state);
  const smtpPort = await listen(smtp.server, opts.smtpPort ?? 0);
  const web = opts.inbox ? inboxServer(state.mails) : undefined;
  const inboxPort = web ? await listen(web, opts.inboxPort ?? 0) : undefined;
  return {
    ...state,
    smtpPort,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    inboxUrl: inboxPort ? `http://127.0.0.1:${inboxPort}/` : undefined,
    close: async () => {
      await Promise.all([closeServer(smtp), web ? closeServer(web) : undefined]);
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  startMailCatcher({ inbox: true }).then(
    (c) => {
      console.log(`Mail catcher: SMTP on ${c.smtpUrl}, inbox on ${c.inboxUrl}`);
      const stop = () => void c.close().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
