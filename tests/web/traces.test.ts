import type { TraceNode, TraceView } from '../../local/xray/trace-tree';
import { segmentLabel, timelineRows, traceList, traceTimeline } from '../../web/_local/traces';

const node = (fields: Partial<TraceNode> & Pick<TraceNode, 'id' | 'name' | 'startTime'>): TraceNode => ({
  kind: 'subsegment',
  inProgress: false,
  error: false,
  fault: false,
  throttle: false,
  children: [],
  ...fields,
});

function reserveRoomTrace(): TraceView {
  const query = node({
    id: 'q',
    name: 'DynamoDB',
    namespace: 'aws',
    startTime: 100.3,
    endTime: 100.4,
    durationMs: 100,
    aws: { operation: 'Query', table: 'RoomsTable', requestId: 'req-1' },
    httpStatus: 200,
  });
  const email = node({
    id: 's',
    name: 'SES',
    namespace: 'aws',
    startTime: 100.8,
    endTime: 101,
    durationMs: 200,
    aws: { operation: 'SendEmail' },
    error: true,
    exceptions: ['MessageRejected: <b>no</b>'],
  });
  const handler = node({
    id: 'h',
    name: '## app.handler',
    startTime: 100.2,
    endTime: 101,
    durationMs: 800,
    annotations: { ColdStart: true },
    children: [query, email],
  });
  const fn = node({
    id: 'f',
    name: 'ReserveRoomFunction',
    kind: 'segment',
    origin: 'AWS::Lambda::Function',
    startTime: 100,
    endTime: 101,
    durationMs: 1000,
    children: [handler],
  });
  return {
    id: '1-65f0a000-0123456789abcdef01234567',
    name: 'ReserveRoomFunction',
    startTime: 100,
    endTime: 101,
    durationMs: 1000,
    status: 'error',
    segmentCount: 4,
    segments: [fn],
  };
}

describe('the dashboard traces', () => {
  it('names a segment by what it did: service, operation and table', () => {
    const [, , query, email] = timelineRows(reserveRoomTrace()).map((row) => row.node);
    expect(segmentLabel(query!)).toBe('DynamoDB Query RoomsTable');
    expect(segmentLabel(email!)).toBe('SES SendEmail');
  });

  it('lists the segments depth first with their depth', () => {
    expect(timelineRows(reserveRoomTrace()).map(({ node: n, depth }) => `${depth}:${n.id}`)).toEqual([
      '0:f',
      '1:h',
      '2:q',
      '2:s',
    ]);
  });

  it('lists traces with functions, duration, status and an Open button naming the trace, marking the open one', () => {
    const trace = reserveRoomTrace();
    const out = traceList(
      [
        trace,
        {
          ...trace,
          id: '1-65f0a000-0123456789abcdef01234568',
          endTime: undefined,
          durationMs: undefined,
          status: 'in progress',
        },
      ],
      trace.id,
    ).value;
    expect(out).toContain('The 2 most recent traces, newest first');
    expect(out).toContain('<td data-label="Duration">1.0 s</td>');
    expect(out).toContain('<span class="badge warn">Error</span>');
    expect(out).toContain('<span class="badge run">In progress</span>');
    expect(out).toContain(`data-trace="${trace.id}" aria-label="Open trace ${trace.id} (ReserveRoomFunction)"`);
    expect(out.match(/<tr class="selected">/g)).toHaveLength(1);
    expect(traceList([]).value).toContain('No trace yet');
  });

  it('draws the timeline as a table: offsets, durations, statuses, bars placed on the trace span, details by disclosure', () => {
    const out = traceTimeline(reserveRoomTrace()).value;
    expect(out).toContain('<caption>Timeline: 4 segments');
    expect(out).toMatch(
      /<th scope="row" class="segment-name" data-indent="0.6">ReserveRoomFunction <span class="muted">\(segment\)<\/span><\/th>\s*<td class="number">\+0 ms<\/td>\s*<td class="number">1.0 s<\/td>/,
    );
    expect(out).toMatch(
      /<span class="visually-hidden">Level 3: <\/span>DynamoDB Query RoomsTable<\/th>\s*<td class="number">\+300 ms<\/td>\s*<td class="number">100 ms<\/td>/,
    );
    expect(out).toContain('class="waterfall-bar ok" data-offset="30.00" data-width="10.00"');
    expect(out).toContain('class="waterfall-bar error" data-offset="80.00" data-width="20.00"');
    expect(out).toContain('<div class="waterfall-track" aria-hidden="true">');
    expect(out).toContain('<dt>ColdStart</dt><dd>true</dd>');
    expect(out).toContain('<dt>Request id</dt><dd>req-1</dd>');
    expect(out).toContain('<dt>HTTP status</dt><dd>200</dd>');
  });

  it('escapes everything a function or a sender controls', () => {
    const trace = reserveRoomTrace();
    trace.segments[0]!.children[0]!.name = '<img src=x onerror=alert(1)>';
    trace.segments[0]!.children[0]!.annotations = { '"><script>': '<svg onload=alert(2)>' };
    trace.name = '<script>alert(3)</script>';
    const out = traceTimeline(trace).value + traceList([trace]).value;
    expect(out).not.toMatch(/<(img|script|svg)/);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('MessageRejected: &lt;b&gt;no&lt;/b&gt;');
    expect(out).toContain('&lt;script&gt;alert(3)&lt;/script&gt;');
  });

  it('runs an in-progress segment to the latest time seen, and says when the collector dropped segments', () => {
    const trace = reserveRoomTrace();
    const handler = trace.segments[0]!.children[0]!;
    Object.assign(handler, { endTime: undefined, durationMs: undefined, inProgress: true });
    const out = traceTimeline({
      ...trace,
      status: 'in progress',
      endTime: undefined,
      durationMs: undefined,
      droppedDocuments: 2,
    }).value;
    expect(out).toContain('<dt>Duration</dt><dd>still running</dd>');
    expect(out).toContain('class="waterfall-bar in-progress" data-offset="20.00" data-width="80.00"');
    expect(out).toContain('2 more segments were not kept');
  });
});
