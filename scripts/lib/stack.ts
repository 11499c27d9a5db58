/** The deployed stack as the companion scripts (`deploy:web`, `empty:web`) find it: its name and its outputs. */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

export class StackError extends Error {
  override name = 'StackError';
}

/** The stack name `sam deploy --guided` saved in samconfig.toml (one key read; no TOML parser needed for it). */
export function samconfigStackName(text: string): string | undefined {
  return /^\s*stack_name\s*=\s*"([^"]+)"/m.exec(text)?.[1];
}

/** `--stack-name` when given, else samconfig.toml's; a StackError telling `command`'s user how to give it. */
export async function chosenStackName(given: string | undefined, command: string): Promise<string> {
  const samconfig = await readFile(path.resolve(__dirname, '..', '..', 'samconfig.toml'), 'utf8').catch(() => '');
  const stackName = given ?? samconfigStackName(samconfig);
  if (!stackName)
    throw new StackError(
      `Give the stack name: npm run ${command} -- --stack-name <name> (or save it in samconfig.toml).`,
    );
  return stackName;
}

/** The stack's outputs by key, or a StackError naming the stack when it cannot be read. */
export async function stackOutputs(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<Record<string, string>> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  } catch (error) {
    throw new StackError(
      `Cannot read the stack "${stackName}": ${(error as Error).message}. Deploy it first with sam deploy --guided.`,
    );
  }
}
