import type { CoreClient } from '../../electron/core/app';
import type { Role } from '../../shared/meeting';

// Accounts for the users / meetings tests, made through the contract as a person would: the
// administrator bootstraps, creates each account with a temporary password, the user changes it.

let made = 0;

export const ADMIN_PW = 'Quorum-key-41';

export async function bootstrapAdmin(core: Pick<CoreClient, 'call'>): Promise<string> {
  await core.call('users.bootstrap', { username: 'admin', printedName: 'Ada Admin', password: ADMIN_PW });
  return (await core.call('auth.login', { username: 'admin', password: ADMIN_PW })).session;
}

export async function addUser(core: Pick<CoreClient, 'call'>, adminSession: string, username: string, role: Role, printedName = username, password = `Personal-pw-${++made}`): Promise<{ userId: number; password: string }> {
  const temp = 'Temporary-pw-1';
  const u = await core.call('users.create', { session: adminSession, username, printedName, title: role, role, password: temp, identityVerification: 'passport checked in person' });
  await core.call('auth.changePassword', { username, oldPassword: temp, newPassword: password });
  return { userId: u.userId, password };
}
