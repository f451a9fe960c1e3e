// What spans may say of a command: nothing secret.

/**
 * A Redis span's statement: the command and the prefixes of the keys it names, never a key's
 * variable part or a value (a session key is a credential; rate-limit keys hold addresses).
 *   redisStatement("get", ["sess:abc"]) -> "get sess:*"
 */
export function redisStatement(cmd: string, args: unknown[]): string {
  let statement = cmd;
  for (const arg of args) {
    if (typeof arg !== "string") continue;
    const colon = arg.indexOf(":");
    if (colon < 1 || !KEY_PREFIX.test(arg)) continue;
    const prefix = ` ${arg.slice(0, colon)}:*`;
    if (!statement.includes(prefix)) statement += prefix;
  }
  return statement;
}

const KEY_PREFIX = /^[A-Za-z][\w-]*:/;
