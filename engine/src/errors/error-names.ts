/** AWS's reserved error names (https://states-language.net/#appendix-a-predefined-error-codes) the engine uses. */
export const ErrorNames = {
  ALL: 'States.ALL',
  Runtime: 'States.Runtime',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  TaskFailed: 'States.TaskFailed',
  DataLimitExceeded: 'States.DataLimitExceeded',
} as const;

/** Errors that end the execution at once: no Retry or Catch can handle them. */
export function isUncatchable(error: string | undefined): boolean {
  return error === ErrorNames.Runtime || error === ErrorNames.DataLimitExceeded;
}
