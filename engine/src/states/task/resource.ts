/** Task resources as the history names them. */

/** How the history names a resource: 'lambda' + 'invoke.waitForTaskToken', 'aws-sdk:sesv2' + 'sendEmail'. */
export function describeResource(resource: string): { resourceType: string; resource: string } {
  const parts = resource.split(':');
  if (parts[5] === 'aws-sdk') return { resourceType: `aws-sdk:${parts[6]}`, resource: parts.slice(7).join(':') };
  return { resourceType: parts[5] ?? resource, resource: parts.slice(6).join(':') };
}

/** An activity's ARN as a Task's Resource: `arn:aws:states:<region>:<account>:activity:<name>`. */
export function isActivityResource(resource: string): boolean {
  return resource.split(':')[5] === 'activity';
}
