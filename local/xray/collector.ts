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
}

export interface XRayCollectorOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Oldest traces are dropped beyond this many. */
  maxTraces?: number;
}

/**
 * A local stand-in for the X-Ray daemon: receives the UDP segment documents the X-Ray SDK (and so Powertools
 * Tracer) emits, and keeps them in memory for the local dashboard. Functions point at it through
 * AWS_XRAY_DAEMON_ADDRESS, so tracing code runs unchanged and no "daemon unreachable" errors appear.
 * Written by hand because the daemon protocol is one JSON header line plus one JSON document per datagram,
 * and the real daemon only forwards to AWS.
 */
export class XRayCollector {
  private readonly traces = new Map<string, Trace>();

  private constructor(private readonly socket: Socket, private readonly maxTraces: number) {
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
    return new XRayCollector(socket, options.maxTraces ?? 500);
  }

  /** host:port, the value for AWS_XRAY_DAEMON_ADDRESS. */
  get address(): string {
    const { address, port } = this.socket.address();
    return `${address}:${port}`;
  }

  /** Adds a document recorded in-process (the Lambda runner's own function segments). */
  record(document: SegmentDocument): void {
    let trace = this.traces.get(document.trace_id);
    if (!trace) {
      trace = { id: document.trace_id, startTime: document.start_time, segments: [] };
      this.traces.set(document.trace_id, trace);
      this.evictOldest();
    }
    const existing = trace.segments.findIndex((segment) => segment.id === document.id);
    if (existing >= 0) trace.segments[existing] = document;
    else trace.segments.push(document);
    trace.startTime = Math.min(trace.startTime, document.start_time);
    if (document.end_time !== undefined) trace.endTime = Math.max(trace.endTime ?? 0, document.end_time);
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
      if (typeof document.trace_id === 'string' && typeof document.id === 'string' && typeof document.start_time === 'number') this.record(document);
    } catch {
      // Not a segment document: the real daemon drops these too.
    }
  }

  private evictOldest(): void {
    while (this.traces.size > this.maxTraces) {
      const oldest = this.traces.keys().next().value;
      if (oldest === undefined) return;
      this.traces.delete(oldest);
    }
  }
}
