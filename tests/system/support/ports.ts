import type { LocalCloudPorts } from '../../../local/cloud';
import { freePorts } from '../../../local/services/ports';

/** The four ports of a local cloud, distinct and free right now (freePorts holds all four while the OS picks). */
export async function freeCloudPorts(): Promise<LocalCloudPorts> {
  const [api, sfn, dynamodb, ses] = await freePorts(4);
  return { api, sfn, dynamodb, ses };
}
