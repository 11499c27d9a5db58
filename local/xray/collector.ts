import { createSocket, type Socket } from 'node:dgram';

/** An X-Ray segment or subsegment document (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html). */
export interface SegmentDocument {
  trace_id: string;
  id: string;
  name: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  parent_id?: string;
  type?: 'subsegment';
  error?: boolean;
  fault?: boolean;
  [field: string]: unknown;
}

export interface Trace {
  id: string;
  /** Epoch seconds of the earliest document, and of the latest end (absent while everything is in progress). */
  startTime: number;
  endTime?: number;
  /** Every document received for this trace, in arrival order; a later copy of the same id replaces the earlier one. */
  segments: SegmentDocument[];
  /** New documents refused because this trace alone held the collector's maxDocuments. */
  droppedDocuments?: number;
}

export interface XRayCollectorOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The traces that received a document longest ago are dropped beyond this many (default 500). */
  maxTraces?: number;
  /**
   * ...and beyond this many documents in all (default 10,000), so that a few huge traces (a long execution
   * whose tasks all join one trace) cannot grow memory without bound either.
   */
  maxDocuments?: number;
}

/**
 * A local stand-in for the X-Ray daemon: receives the UDP segment documents the X-Ray SDK (aws-xray-sdk-core, which
 * the functions' tracing uses) emits, and keeps them in memory for the local dashboard. Functions point at it through
 * AWS_XRAY_DAEMON_ADDRESS, so tracing code runs unchanged and no "daemon unreachable" errors appear.
 * Written by hand because the daemon protocol is one JSON header line plus one JSON document per datagram,
 * and the real daemon only forwards to AWS.
 */
export class XRayCollector {
  /** In order of the last document received: the first is the one to drop. */
  private readonly traces = new Map<string, Trace>();
  private documentCount = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly maxTraces: number,
    private readonly maxDocuments: number,
  ) {
    socket.on('message', (message) => this.receive(message));
  }

  static async start(options: XRayCollectorOptions = {}): Promise<XRayCollector> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // A malformed datagram or a send error must never take the local cloud down.
    socket.on('error', () => undefined);
    return new XRayCollector(socket, options.maxTraces ?? 500, options.maxDocuments ?? 10_000);
  }

  /** host:port, the value for AWS_XRAY_DAEMON_ADDRESS. */
  get address(): string {
    const { address, port } = this.socket.address();
    return `${address}:${port}`;
  }

  /** Adds a document recorded in-process (the Lambda runner's own function segments). */
  record(document: SegmentDocument): void {
    const trace = this.traces.get(document.trace_id) ?? {
      id: document.trace_id,
      startTime: document.start_time,
      segments: [],
    };
    // Re-inserted so that the map stays in order of the last document: a trace still growing is kept.
    this.traces.delete(trace.id);
    this.traces.set(trace.id, trace);
    const existing = trace.segments.findIndex((segment) => segment.id === document.id);
    if (existing >= 0) trace.segments[existing] = document;
    else if (trace.segments.length >= this.maxDocuments) {
      trace.droppedDocuments = (trace.droppedDocuments ?? 0) + 1; // one trace alone may not pass the bound either
    } else {
      trace.segments.push(document);
      this.documentCount++;
    }
    trace.startTime = Math.min(trace.startTime, document.start_time);
    if (document.end_time !== undefined) trace.endTime = Math.max(trace.endTime ?? 0, document.end_time);
    this.evictOldest();
  }

  /** Every trace kept, newest first. */
  getTraces(): Trace[] {
    return [...this.traces.values()].sort((a, b) => b.startTime - a.startTime);
  }

  getTrace(id: string): Trace | undefined {
    return this.traces.get(id);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private receive(message: Buffer): void {
    const text = message.toString('utf8');
    const newline = text.indexOf('\n');
    if (newline < 0) return;
    try {
      const header = JSON.parse(text.slice(0, newline)) as { format?: string };
      if (header.format !== 'json') return;
      const document = JSON.parse(text.slice(newline + 1)) as SegmentDocument;
      if (
        typeof document.trace_id === 'string' &&
        typeof document.id === 'string' &&
        typeof document.start_time === 'number'
      )
        this.record(document);
    } catch {
      // Not a segment document: the real daemon drops these too.
    }
  }

  /** Drops the traces that received a document longest ago until both bounds hold (never the newest trace). */
  private evictOldest(): void {
    while (this.traces.size > 1 && (this.traces.size > this.maxTraces || this.documentCount > this.maxDocuments)) {
      const oldest = this.traces.values().next().value!;
      this.traces.delete(oldest.id);
      this.documentCount -= oldest.segments.length;
    }
  }
}
