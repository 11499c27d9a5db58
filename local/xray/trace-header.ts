import { randomBytes } from 'node:crypto';

/** The fields of an X-Amzn-Trace-Id header (`Root=1-…;Parent=…;Sampled=1`). */
export interface TraceHeader {
  root: string;
  parent?: string;
  sampled?: boolean;
}

export function newTraceId(nowMs = Date.now()): string {
  return `1-${Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')}-${randomBytes(12).toString('hex')}`;
}

export function newSegmentId(): string {
  return randomBytes(8).toString('hex');
}

/** Reads a trace header; undefined when it carries no valid Root. */
export function parseTraceHeader(header: string | undefined): TraceHeader | undefined {
  if (!header) return undefined;
  const fields = new Map(
    header.split(';').map((field) => {
      const at = field.indexOf('=');
      return [field.slice(0, at).trim().toLowerCase(), field.slice(at + 1).trim()] as const;
    }),
  );
  const root = fields.get('root');
  if (!root || !/^1-[0-9a-f]{8}-[0-9a-f]{24}$/.test(root)) return undefined;
  const parent = fields.get('parent');
  const sampled = fields.get('sampled');
  return {
    root,
    parent: parent && /^[0-9a-f]{16}$/.test(parent) ? parent : undefined,
    sampled: sampled === undefined ? undefined : sampled === '1',
  };
}

export function formatTraceHeader(header: TraceHeader): string {
  return [
    `Root=${header.root}`,
    header.parent ? `Parent=${header.parent}` : '',
    header.sampled === undefined ? '' : `Sampled=${header.sampled ? 1 : 0}`,
  ]
    .filter(Boolean)
    .join(';');
}
