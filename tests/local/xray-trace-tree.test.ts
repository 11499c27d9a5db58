import type { SegmentDocument, Trace } from '../../local/xray/collector';
import { buildTraceView } from '../../local/xray/trace-tree';

const TRACE_ID = '1-6b013e2a-ebb6981aa67d2f38a5cd2558';

/** Documents shaped as the Lambda runner and the functions' tracing (aws-xray-sdk-core) send them for ReserveRoom. */
function reserveRoomDocuments(): SegmentDocument[] {
  const sub = (id: string, fields: Partial<SegmentDocument>): SegmentDocument => ({
    trace_id: TRACE_ID,
    id,
    type: 'subsegment',
    name: 'DynamoDB',
    start_time: 0,
    ...fields,
  });
  return [
    sub('a1b594d988dcb42f', {
      parent_id: '1a3093c822e31654',
      namespace: 'aws',
      start_time: 100.737,
      end_time: 100.84,
      aws: {
        operation: 'Query',
        region: 'us-east-1',
        request_id: 'r-1',
        retries: 1,
        index_name: 'ByRoomType',
        table_name: 'RoomsTable',
      },
      http: { response: { status: 200, content_length: 92 } },
    }),
    sub('af7a6c2d0817587c', {
      parent_id: '1a3093c822e31654',
      namespace: 'aws',
      start_time: 100.88,
      end_time: 100.93,
      aws: { operation: 'TransactWriteItems', region: 'us-east-1', request_id: 'r-2', retries: 1 },
    }),
    {
      trace_id: TRACE_ID,
      id: '42b8babc1fc9427c',
      name: 'ReserveRoomFunction',
      origin: 'AWS::Lambda::Function',
      start_time: 100.382,
      end_time: 100.949,
      aws: { request_id: 'inv-1', function_arn: 'arn:aws:lambda:us-east-1:123456789012:function:ReserveRoomFunction' },
    },
    sub('2f924f0da11b1bdc', {
      parent_id: '1a3093c822e31654',
      name: 'SES',
      namespace: 'aws',
      start_time: 100.931,
      end_time: 100.945,
      aws: { operation: 'SendEmail', region: 'us-east-1' },
    }),
    sub('1a3093c822e31654', {
      parent_id: '42b8babc1fc9427c',
      name: '## app.handler',
      start_time: 100.7,
      end_time: 100.947,
      annotations: { ColdStart: true, Service: 'serverless-workflows', ignored: { nested: 1 } },
    }),
  ];
}

const trace = (segments: SegmentDocument[], extra: Partial<Trace> = {}): Trace => ({
  id: TRACE_ID,
  startTime: 0,
  segments,
  ...extra,
});

describe('a trace as the dashboard shows it', () => {
  it('nests the function segment, its handler subsegment and the SDK calls by parent id, each level by start time', () => {
    const view = buildTraceView(trace(reserveRoomDocuments()));
    expect(view).toMatchObject({
      id: TRACE_ID,
      name: 'ReserveRoomFunction',
      startTime: 100.382,
      endTime: 100.949,
      durationMs: 567,
      status: 'ok',
      segmentCount: 5,
    });
    expect(view.segments).toHaveLength(1);
    const [fn] = view.segments;
    expect(fn).toMatchObject({
      kind: 'segment',
      origin: 'AWS::Lambda::Function',
      aws: { requestId: 'inv-1', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ReserveRoomFunction' },
    });
    const [handler] = fn!.children;
    expect(handler).toMatchObject({
      name: '## app.handler',
      kind: 'subsegment',
      durationMs: 247,
      annotations: { ColdStart: true, Service: 'serverless-workflows' },
    });
    expect(handler!.annotations).not.toHaveProperty('ignored');
    expect(handler!.children.map((child) => [child.name, child.aws?.operation, child.aws?.table])).toEqual([
      ['DynamoDB', 'Query', 'RoomsTable'],
      ['DynamoDB', 'TransactWriteItems', undefined],
      ['SES', 'SendEmail', undefined],
    ]);
    expect(handler!.children[0]).toMatchObject({
      namespace: 'aws',
      httpStatus: 200,
      durationMs: 103,
      inProgress: false,
      error: false,
      fault: false,
    });
  });

  it('keeps a document whose parent never arrived as a root, and is in progress until every document ended', () => {
    const documents = reserveRoomDocuments().filter((d) => d.name !== 'ReserveRoomFunction');
    documents.push({
      trace_id: TRACE_ID,
      id: 'ffffffffffffffff',
      type: 'subsegment',
      parent_id: '1a3093c822e31654',
      name: 'SFN',
      start_time: 101,
      in_progress: true,
    });
    const view = buildTraceView(trace(documents));
    expect(view.segments.map((root) => root.name)).toEqual(['## app.handler']);
    expect(view.status).toBe('in progress');
    expect(view.endTime).toBeUndefined();
    expect(view.durationMs).toBeUndefined();
    const sfn = view.segments[0]!.children.at(-1)!;
    expect(sfn).toMatchObject({ name: 'SFN', inProgress: true });
    expect(sfn).not.toHaveProperty('durationMs');
  });

  it('reports a fault over an error, with the exceptions of the cause', () => {
    const documents = reserveRoomDocuments();
    Object.assign(documents[2]!, {
      error: true,
      cause: { exceptions: [{ type: 'RoomUnavailable', message: 'No SUITE room is free' }] },
    });
    expect(buildTraceView(trace(documents)).status).toBe('error');
    Object.assign(documents[4]!, {
      fault: true,
      cause: {
        working_directory: '/x',
        exceptions: [{ type: 'RoomUnavailable', message: 'No SUITE room is free', stack: [] }],
      },
    });
    const view = buildTraceView(trace(documents));
    expect(view.status).toBe('fault');
    expect(view.segments[0]!.exceptions).toEqual(['RoomUnavailable: No SUITE room is free']);
    expect(view.segments[0]!.children[0]).toMatchObject({
      fault: true,
      exceptions: ['RoomUnavailable: No SUITE room is free'],
    });
  });

  it('flattens subsegments a document embeds, and several invocations of one execution are several roots', () => {
    const later: SegmentDocument = {
      trace_id: TRACE_ID,
      id: '1111111111111111',
      name: 'SendExamNotificationFunction',
      origin: 'AWS::Lambda::Function',
      start_time: 200,
      end_time: 201,
      subsegments: [
        {
          id: '2222222222222222',
          name: 'SFN',
          start_time: 200.5,
          end_time: 200.6,
          namespace: 'aws',
          aws: { operation: 'SendTaskSuccess' },
        },
      ],
    };
    const view = buildTraceView(trace([later, ...reserveRoomDocuments()]));
    expect(view.name).toBe('ReserveRoomFunction, SendExamNotificationFunction');
    expect(view.segments.map((root) => root.name)).toEqual(['ReserveRoomFunction', 'SendExamNotificationFunction']);
    expect(view.segments[1]!.children).toEqual([
      expect.objectContaining({ id: '2222222222222222', kind: 'subsegment', aws: { operation: 'SendTaskSuccess' } }),
    ]);
    expect(view.segmentCount).toBe(7);
    expect(view.durationMs).toBe(100618);
  });

  it('never makes a cycle of documents naming each other as parents', () => {
    const documents: SegmentDocument[] = [
      {
        trace_id: TRACE_ID,
        id: 'aaaaaaaaaaaaaaaa',
        parent_id: 'bbbbbbbbbbbbbbbb',
        name: 'A',
        start_time: 1,
        end_time: 2,
      },
      {
        trace_id: TRACE_ID,
        id: 'bbbbbbbbbbbbbbbb',
        parent_id: 'aaaaaaaaaaaaaaaa',
        name: 'B',
        start_time: 1,
        end_time: 2,
      },
      {
        trace_id: TRACE_ID,
        id: 'cccccccccccccccc',
        parent_id: 'cccccccccccccccc',
        name: 'C',
        start_time: 1,
        end_time: 2,
      },
    ];
    const view = buildTraceView(trace(documents));
    expect(() => JSON.stringify(view)).not.toThrow();
    expect(view.segments.map((root) => root.name)).toEqual(['A', 'B', 'C']);
  });

  it('says how many documents the collector refused for the trace', () => {
    expect(buildTraceView(trace(reserveRoomDocuments(), { droppedDocuments: 3 })).droppedDocuments).toBe(3);
    expect(buildTraceView(trace(reserveRoomDocuments()))).not.toHaveProperty('droppedDocuments');
  });
});
