/**
 * Configuration from the function's environment (set by template.yaml). Read at invocation time, not at module
 * load, so a missing variable is a clear error for that invocation instead of a crash during init.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
