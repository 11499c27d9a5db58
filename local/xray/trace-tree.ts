/**
 * A trace as the local dashboard shows it: the segment documents the collector kept, nested into a tree
 * (function segment → `## app.handler` → AWS SDK calls), with the fields a reader looks for picked out of
 * X-Ray's document format (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html).
 * Pure data in, pure data out: the page imports the types, the API Gateway emulator serves the views.
 */
import type { SegmentDocument, Trace } from './collector';

export type TraceStatus = 'ok' | 'error' | 'fault' | 'in progress';

/** The AWS request a subsegment recorded (SDK calls: `aws.operation`, `aws.table_name`, ...). */
export interface TraceNodeAws {
  operation?: string;
  table?: string;
  region?: string;
  requestId?: string;
  retries?: number;
  functionArn?: string;
}

export interface TraceNode {
  id: string;
  name: string;
  /** A segment is a service's own record (the function); subsegments are the work inside it. */
  kind: 'segment' | 'subsegment';
  /** The segment's origin, e.g. AWS::Lambda::Function. */
  origin?: string;
  /** `aws` for an AWS SDK call, `remote` for another HTTP call. */
  namespace?: string;
  /** Epoch seconds, as X-Ray records them. */
  startTime: number;
  endTime?: number;
  /** Whole milliseconds; absent while in progress. */
  durationMs?: number;
  inProgress: boolean;
  /** X-Ray's flags: error = a client error (4xx, a domain error), fault = a server error, throttle = 429. */
  error: boolean;
  fault: boolean;
  throttle: boolean;
  annotations?: Record<string, string | number | boolean>;
  aws?: TraceNodeAws;
  httpStatus?: number;
  /** The recorded exceptions, as `Type: message`. */
  exceptions?: string[];
  children: TraceNode[];
}

export interface TraceView {
  id: string;
  /** The functions at the trace's roots, in order of start (several when an execution's tasks share one trace). */
  name: string;
  startTime: number;
  endTime?: number;
  durationMs?: number;
  status: TraceStatus;
  /** Every segment and subsegment in the tree. */
  segmentCount: number;
  /** Documents the collector refused for this trace (its size bound); the tree lacks them. */
  droppedDocuments?: number;
  /** Root segments by start time (documents whose parent was never received are roots too). */
  segments: TraceNode[];
}

const durationMs = (start: number, end: number | undefined): number | undefined =>
  end === undefined ? undefined : Math.max(0, Math.round((end - start) * 1000));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function awsOf(document: SegmentDocument): TraceNodeAws | undefined {
  if (!isRecord(document.aws)) return undefined;
  const aws = document.aws;
  const picked: TraceNodeAws = {
    operation: text(aws.operation),
    table: text(aws.table_name),
    region: text(aws.region),
    requestId: text(aws.request_id),
    retries: typeof aws.retries === 'number' ? aws.retries : undefined,
    functionArn: text(aws.function_arn),
  };
  const present = Object.entries(picked).filter(([, value]) => value !== undefined);
  return present.length > 0 ? (Object.fromEntries(present) as TraceNodeAws) : undefined;
}

function annotationsOf(document: SegmentDocument): TraceNode['annotations'] {
  if (!isRecord(document.annotations)) return undefined;
  const kept = Object.entries(document.annotations).filter(([, value]) =>
    ['string', 'number', 'boolean'].includes(typeof value),
  );
  return kept.length > 0 ? (Object.fromEntries(kept) as TraceNode['annotations']) : undefined;
}

function exceptionsOf(document: SegmentDocument): string[] | undefined {
  const cause = document.cause;
  // A cause is either an exception id (a string pointing at another document's exception) or an object.
  if (!isRecord(cause) || !Array.isArray(cause.exceptions)) return undefined;
  const lines = cause.exceptions
    .filter(isRecord)
    .map((exception) => [text(exception.type), text(exception.message)].filter(Boolean).join(': '))
    .filter(Boolean);
  return lines.length > 0 ? lines : undefined;
}

function httpStatusOf(document: SegmentDocument): number | undefined {
  const response = isRecord(document.http) ? document.http.response : undefined;
  return isRecord(response) && typeof response.status === 'number' ? response.status : undefined;
}

function nodeOf(document: SegmentDocument, kind: TraceNode['kind']): TraceNode {
  const endTime = typeof document.end_time === 'number' ? document.end_time : undefined;
  const node: TraceNode = {
    id: document.id,
    name: String(document.name ?? ''),
    kind,
    origin: text(document.origin),
    namespace: text(document.namespace),
    startTime: document.start_time,
    endTime,
    durationMs: durationMs(document.start_time, endTime),
    inProgress: document.in_progress === true || endTime === undefined,
    error: document.error === true,
    fault: document.fault === true,
    throttle: document.throttle === true,
    annotations: annotationsOf(document),
    aws: awsOf(document),
    httpStatus: httpStatusOf(document),
    exceptions: exceptionsOf(document),
    children: [],
  };
  for (const key of Object.keys(node) as (keyof TraceNode)[]) if (node[key] === undefined) delete node[key];
  return node;
}

/**
 * Every document as a node, with the subsegments a document embeds (`subsegments`, the SDK's way when it
 * sends a parent and its children together) flattened in. Embedded children get their parent's id.
 */
function flatten(documents: readonly SegmentDocument[]): { node: TraceNode; parentId?: string }[] {
  const out: { node: TraceNode; parentId?: string }[] = [];
  const visit = (document: SegmentDocument, parentId: string | undefined, embedded: boolean) => {
    const kind = embedded || document.type === 'subsegment' ? 'subsegment' : 'segment';
    out.push({ node: nodeOf(document, kind), parentId: parentId ?? text(document.parent_id) });
    const children = Array.isArray(document.subsegments) ? document.subsegments : [];
    for (const child of children) {
      if (isRecord(child) && typeof child.id === 'string' && typeof child.start_time === 'number')
        visit(child as SegmentDocument, document.id, true);
    }
  };
  for (const document of documents) visit(document, undefined, false);
  return out;
}

const byStart = (a: TraceNode, b: TraceNode) => a.startTime - b.startTime || a.name.localeCompare(b.name);

function statusOf(nodes: readonly TraceNode[]): TraceStatus {
  if (nodes.some((node) => node.fault)) return 'fault';
  if (nodes.some((node) => node.error)) return 'error';
  if (nodes.some((node) => node.inProgress)) return 'in progress';
  return 'ok';
}

/**
 * Whether `id` is `parentId` or one of its ancestors: documents that name each other as parents (a broken
 * or hostile sender) must not make a cycle, which would never end when rendered or serialised.
 */
function isAncestor(id: string, parentId: string, byId: ReadonlyMap<string, { parentId?: string }>): boolean {
  const seen = new Set<string>();
  for (
    let current: string | undefined = parentId;
    current !== undefined && !seen.has(current);
    current = byId.get(current)?.parentId
  ) {
    if (current === id) return true;
    seen.add(current);
  }
  return false;
}

/** The trace's documents as a tree of nodes, with its summary. */
export function buildTraceView(trace: Trace): TraceView {
  const entries = flatten(trace.segments);
  // A later copy of a document (in progress, then complete) replaces the earlier one.
  const byId = new Map<string, { node: TraceNode; parentId?: string }>();
  for (const entry of entries) byId.set(entry.node.id, entry);
  const roots: TraceNode[] = [];
  for (const { node, parentId } of byId.values()) {
    const parent = parentId !== undefined && !isAncestor(node.id, parentId, byId) ? byId.get(parentId) : undefined;
    if (parent) parent.node.children.push(node);
    else roots.push(node);
  }
  const nodes = [...byId.values()].map((entry) => entry.node);
  for (const node of nodes) node.children.sort(byStart);
  roots.sort(byStart);

  const startTime = nodes.length > 0 ? Math.min(...nodes.map((node) => node.startTime)) : trace.startTime;
  const ends = nodes.map((node) => node.endTime);
  const endTime =
    ends.length > 0 && ends.every((end) => end !== undefined) ? Math.max(...(ends as number[])) : undefined;
  const names = [...new Set(roots.map((root) => root.name))];
  return {
    id: trace.id,
    name: names.join(', '),
    startTime,
    ...(endTime !== undefined ? { endTime, durationMs: durationMs(startTime, endTime) } : {}),
    status: statusOf(nodes),
    segmentCount: nodes.length,
    ...(trace.droppedDocuments ? { droppedDocuments: trace.droppedDocuments } : {}),
    segments: roots,
  };
}
