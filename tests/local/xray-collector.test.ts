import { createSocket } from 'node:dgram';
import { XRayCollector, type SegmentDocument } from '../../local/xray/collector';
import { eventually } from '../support/eventually';

const traceId = (n: number) => `1-65f0a000-${n.toString(16).padStart(24, '0')}`;
const doc = (trace: number, id: string, start = trace): SegmentDocument => ({
  trace_id: traceId(trace),
  id,
  name: `F${trace}`,
  start_time: start,
  end_time: start + 1,
});

describe('the X-Ray collector', () => {
  let collector: XRayCollector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });

  it('keeps the segment documents sent over UDP in the daemon format (a JSON header line, then the document)', async () => {
    collector = await XRayCollector.start();
    const socket = createSocket('udp4');
    const [host, port] = collector.address.split(':');
    const send = (text: string) =>
      new Promise<void>((resolve, reject) =>
        socket.send(text, Number(port), host, (error) => (error ? reject(error) : resolve())),
      );
    try {
      await send('not a segment');
      await send('{"format":"json","version":1}\n{broken');
      await send(`{"format":"json","version":1}\n${JSON.stringify(doc(1, '00000000000000a1'))}`);
      const trace = await eventually('the document', async () => collector!.getTrace(traceId(1)));
      expect(trace).toEqual({ id: traceId(1), startTime: 1, endTime: 2, segments: [doc(1, '00000000000000a1')] });
      expect(collector.getTraces()).toHaveLength(1);
    } finally {
      socket.close();
    }
  });

  it('replaces an in-progress copy of a document with its complete one', async () => {
    collector = await XRayCollector.start();
    collector.record({ ...doc(1, 'a'), end_time: undefined, in_progress: true });
    collector.record(doc(1, 'a'));
    expect(collector.getTrace(traceId(1))?.segments).toEqual([doc(1, 'a')]);
  });

  it('drops the traces that received a document longest ago beyond maxTraces, and lists the rest newest first', async () => {
    collector = await XRayCollector.start({ maxTraces: 2 });
    collector.record(doc(1, 'a'));
    collector.record(doc(2, 'b'));
    collector.record(doc(1, 'c', 5)); // trace 1 is still growing: trace 2 is now the one to drop
    collector.record(doc(3, 'd'));
    expect(collector.getTraces().map((trace) => trace.id)).toEqual([traceId(3), traceId(1)]);
  });

  it('bounds the documents over every trace, and those of one trace alone', async () => {
    collector = await XRayCollector.start({ maxDocuments: 3 });
    collector.record(doc(1, 'a'));
    collector.record(doc(1, 'b'));
    collector.record(doc(2, 'c'));
    collector.record(doc(2, 'd'));
    expect(collector.getTraces().map((trace) => trace.id)).toEqual([traceId(2)]);
    collector.record(doc(2, 'e'));
    collector.record(doc(2, 'f'));
    collector.record(doc(2, 'g'));
    const trace = collector.getTrace(traceId(2))!;
    expect(trace.segments.map((segment) => segment.id)).toEqual(['c', 'd', 'e']);
    expect(trace.droppedDocuments).toBe(2);
    collector.record(doc(3, 'h'));
    expect(collector.getTraces().map((t) => t.id)).toEqual([traceId(3)]);
  });
});
