// HTTP helpers for supertest agents: CSRF tokens from pages, sign-up and sign-in flows.
import type { Express } from "express";
import request from "supertest";
import type TestAgent from "supertest/lib/agent.js";

export type Agent = TestAgent;

export function newAgent(app: Express): Agent {
  return request.agent(app);
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html) ?? /name="csrf-token" content="([^"]+)"/.exec(html);
  if (!match) throw new Error("no CSRF token in page");
  return match[1]!;
}

export async function csrfToken(agent: Agent, path = "/login"): Promise<string> {
  const res = await agent.get(path);
  return csrfFrom(res.text);
}

let counter = 0;
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}.${counter}.${Math.random().toString(36).slice(2, 7)}@example.com`;
}

export const GOOD_PASSWORD = "correct horse 42";

export async function registerUser(agent: Agent, email: string, displayName = "Test User", password = GOOD_PASSWORD) {
  const token = await csrfToken(agent, "/register");
  return agent.post("/register").type("form").send({ _csrf: token, email, displayName, password });
}

export async function signIn(agent: Agent, email: string, password = GOOD_PASSWORD, extra: Record<string, string> = {}) {
  const token = await csrfToken(agent, "/login");
  return agent
    .post("/login")
    .type("form")
    .send({ _csrf: token, email, password, ...extra });
}

/** Registers and signs in a fresh user; returns the agent's email. */
export async function signedInAgent(app: Express, displayName = "Test User"): Promise<{ agent: Agent; email: string }> {
  const agent = newAgent(app);
  const email = uniqueEmail();
  await registerUser(agent, email, displayName);
  const res = await signIn(agent, email);
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  return { agent, email };
}

/** The session id inside a `sid=s%3A<id>.<signature>` cookie from a response. */
export function sessionIdFrom(setCookie: string[] | string | undefined, name = "sid"): string | undefined {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const raw = cookies.find((c) => c.startsWith(`${name}=`));
  if (!raw) return undefined;
  const value = decodeURIComponent(raw.slice(name.length + 1).split(";")[0]!);
  return value.startsWith("s:") ? value.slice(2, value.lastIndexOf(".")) : undefined;
}

/** The raw `name=value` pair of a cookie, for replaying it on another request. */
export function cookiePair(setCookie: string[] | string | undefined, name = "sid"): string | undefined {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return cookies.find((c) => c.startsWith(`${name}=`))?.split(";")[0];
}
