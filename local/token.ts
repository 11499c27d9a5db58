/**
 * `npm run token -- admin|agent`: prints an ID token of the local admin or agent for curl
 * (`curl -H "Authorization: Bearer $(npm run -s token -- admin)" localhost:3000/incidents`), from the local cloud
 * `npm start` runs (LOCAL_API_PORT, default 3000; LOCAL_STAFF_PASSWORD as npm start has it).
 */
import { portsFromEnvironment, UsageError } from './cli-config';
import { localStaffIdToken, type StaffRole } from './staff-sign-in';

const USAGE = 'usage: npm run token -- admin|agent';

async function main(): Promise<void> {
  const [role, ...rest] = process.argv.slice(2);
  try {
    if (role !== 'admin' && role !== 'agent')
      throw new UsageError(role === undefined ? 'name a role' : `the role must be admin or agent, got "${role}"`);
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const { api } = portsFromEnvironment();
    console.log(await localStaffIdToken(`http://localhost:${api}`, role as StaffRole));
  } catch (error) {
    const usage = error instanceof UsageError;
    console.error(`npm run token: ${(error as Error).message}${usage ? `\n${USAGE}` : ''}`);
    process.exit(usage ? 2 : 1);
  }
}

void main();
