// What spans may say of a command: nothing secret.

/**
 * A Redis span's statement: the command and the prefixes of the keys it names, never a key's
 * variable part or a value (a session key is a credential; rate-limit keys hold addresses).
 *   redisStatement("get", ["sess:abc"]) -> "get sess:*"
 */
export function redisStatement(cmd: string, args: unknown[]): string {
  const prefixes = args.filter((a): a is string => typeof a === "string" && /^[A-Za-z][\w-]*:/.test(a)).map((key) => `${key.slice(0, key.indexOf(":"))}:*`);
  return [cmd, ...new Set(prefixes)].join(" ");
}
