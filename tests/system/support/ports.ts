import type { LocalCloudPorts } from '../../../local/cloud';
import { freePorts } from '../../../local/services/ports';

/** The five ports of a local cloud, distinct and free right now (freePorts holds all five while the OS picks). */
export async function freeCloudPorts(): Promise<LocalCloudPorts> {
  const [api, sfn, dynamodb, ses, cognito] = await freePorts(5);
  return { api, sfn, dynamodb, ses, cognito };
}
