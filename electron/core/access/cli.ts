import type { Core } from '../context';
import { str, UsageError, type ParsedArgs } from '../cliArgs';
import { readPassword } from '../minutes/cli';

// The CLI's writes are attributed like the app's (issue 11): `--user USERNAME`, the password from
// DOSEDESK_PASSWORD or asked on the terminal without echo; log in, run, log out. A database without
// accounts (a scratch database) needs no --user: the change is recorded under the OS account, marked so.

export async function withCliSession<T>(core: Core, args: ParsedArgs, what: string, fn: (session: string | undefined) => Promise<T>): Promise<T> {
  const username = str(args, 'user');
  if (!username) {
    if ((await core.call('auth.status', {})).users === 0) return fn(undefined);
    throw new UsageError(`${what}: --user USERNAME is required once the database has accounts (password from DOSEDESK_PASSWORD, else asked)`);
  }
  const password = await readPassword(`Password for ${username}: `);
  if (!password) throw new UsageError(`${what}: no password (set DOSEDESK_PASSWORD or type it when asked)`);
  const { session } = await core.call('auth.login', { username, password });
  try {
    return await fn(session);
  } finally {
    await core.call('auth.logout', { session }).catch(() => undefined);
  }
}
