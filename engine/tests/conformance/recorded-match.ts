/**
 * Whether a value AWS recorded, as LocalStack's snapshot tool kept it, matches the engine's value. The tool parses
 * JSON texts that hold an object (a top-level array or string it leaves as text), and masks what differs per run:
 * `<...>` placeholders inside strings (`<timestamp>`, `arn:<partition>:states:<region>:...`), its test account
 * 111111111111, `$$` written as `$`, and whole values replaced by a name (`snf_role_arn`, `map_run_arn`, `timestamp`, `date`). A masked part matches anything.
 */

/** Whole values the snapshot tool replaced by a name. */
const MASKED_VALUES = new Set(['snf_role_arn', 'map_run_arn', 'timestamp', 'date']);

function maskPattern(recorded: string): RegExp | undefined {
  if (!/<[^<>]+>|111111111111|\$/.test(recorded)) return undefined;
  const parts = recorded.split(/(<[^<>]+>|111111111111|\$)/);
  const source = parts
    .map((part, i) => (i % 2 === 1 ? (MASK_SOURCES[part] ?? '[\\s\\S]*?') : part.replace(/[.*+?^{}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * The tool's account, and its `$`: where the value was `$$` (a context path written as a string) the recording has
 * `$` (the recorded outcomes, taken from the same executions by other means, have `$$`).
 */
const MASK_SOURCES: Record<string, string> = { '111111111111': '\\d{12}', $: '\\$\\$?' };

function parsedText(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

export function matchesRecorded(recorded: unknown, actual: unknown): boolean {
  if (typeof recorded === 'string') {
    if (MASKED_VALUES.has(recorded)) return true;
    if (typeof actual === 'string') {
      if (recorded === actual || maskPattern(recorded)?.test(actual)) return true;
      const [a, b] = [parsedText(recorded), parsedText(actual)];
      return a !== undefined && b !== undefined && matchesRecorded(a.value, b.value);
    }
    const parsed = parsedText(recorded);
    return parsed !== undefined && typeof parsed.value !== 'string' && matchesRecorded(parsed.value, actual);
  }
  // The engine's payloads are JSON texts; the tool kept an object's (or a number's) parsed.
  if (typeof actual === 'string') {
    const parsed = parsedText(actual);
    return parsed !== undefined && typeof parsed.value !== 'string' && matchesRecorded(recorded, parsed.value);
  }
  if (typeof recorded === 'number' || recorded === null || typeof recorded !== 'object') return recorded === actual;
  if (actual === null || typeof actual !== 'object' || Array.isArray(recorded) !== Array.isArray(actual)) return false;
  if (Array.isArray(recorded)) {
    const items = actual as unknown[];
    return recorded.length === items.length && recorded.every((item, i) => matchesRecorded(item, items[i]));
  }
  const keys = Object.keys(recorded);
  const actualKeys = Object.keys(actual);
  return (
    keys.length === actualKeys.length &&
    keys.every((key) => Object.hasOwn(actual, key) && matchesRecorded((recorded as never)[key], (actual as never)[key]))
  );
}
