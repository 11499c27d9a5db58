import path from 'node:path';
import { startApiGateway, type ApiGatewayServer } from '../../local/apigw/server';
import { loadTemplate } from '../../local/template/load';
import { XRayCollector } from '../../local/xray/collector';
import { FakeLambda } from './fakes';

const template = loadTemplate(path.join(__dirname, 'fixtures', 'api.yaml'));
const OLDER = '1-65f0a000-000000000000000000000001';
const NEWER = '1-65f0a001-000000000000000000000002';

let collector: XRayCollector;
let gateway: ApiGatewayServer;
let bare: ApiGatewayServer;
const logLines: string[] = [];

async function get(server: ApiGatewayServer, urlPath: string) {
  const response = await fetch(`${server.url}${urlPath}`);
  return { status: response.status, type: response.headers.get('content-type'), json: (await response.json()) as any };
}

beforeAll(async () => {
  collector = await XRayCollector.start();
  collector.record({
    trace_id: OLDER,
    id: '00000000000000a1',
    name: 'ReserveRoomFunction',
    origin: 'AWS::Lambda::Function',
    start_time: 100,
    end_time: 100.5,
  });
  collector.record({
    trace_id: NEWER,
    id: '00000000000000b1',
    name: 'GetReservationFunction',
    origin: 'AWS::Lambda::Function',
    start_time: 200,
    end_time: 200.25,
  });
  collector.record({
    trace_id: NEWER,
    id: '00000000000000b2',
    parent_id: '00000000000000b1',
    type: 'subsegment',
    name: 'DynamoDB',
    namespace: 'aws',
    start_time: 200.1,
    end_time: 200.2,
    aws: { operation: 'GetItem', table_name: 'ReservationsTable' },
  });
  const common = {
    port: 0,
    template,
    lambda: new FakeLambda({}),
    sfnEndpoint: 'http://127.0.0.1:9',
    apiKey: 'k',
    webRoot: __dirname,
    region: 'us-east-1',
    log: (line: string) => logLines.push(line),
  };
  [gateway, bare] = await Promise.all([
    startApiGateway({ ...common, traces: () => collector.getTraces() }),
    startApiGateway(common),
  ]);
});

afterAll(async () => {
  await Promise.all([gateway?.close(), bare?.close(), collector?.close()]);
});

describe('GET /_local/traces', () => {
  it('answers the collected traces newest first, each with its segments as a tree, without an API key', async () => {
    const { status, type, json } = await get(gateway, '/_local/traces');
    expect(status).toBe(200);
    expect(type).toBe('application/json');
    expect(json.traces.map((trace: { id: string }) => trace.id)).toEqual([NEWER, OLDER]);
    expect(json.traces[0]).toMatchObject({
      id: NEWER,
      name: 'GetReservationFunction',
      startTime: 200,
      endTime: 200.25,
      durationMs: 250,
      status: 'ok',
      segmentCount: 2,
    });
    expect(json.traces[0].segments[0].children[0]).toMatchObject({
      name: 'DynamoDB',
      aws: { operation: 'GetItem', table: 'ReservationsTable' },
      durationMs: 100,
    });
    expect(logLines).toContainEqual(expect.stringMatching(/^\[apigw\] GET \/_local\/traces 200 \d+ms$/));
  });

  it('answers at most limit traces, and refuses a limit that is no whole number from 1 to 500', async () => {
    expect((await get(gateway, '/_local/traces?limit=1')).json.traces.map((trace: { id: string }) => trace.id)).toEqual(
      [NEWER],
    );
    for (const limit of ['0', '501', '1.5', 'ten', '']) {
      expect(await get(gateway, `/_local/traces?limit=${limit}`)).toMatchObject({
        status: 400,
        json: { error: 'ValidationError', message: 'limit must be a whole number from 1 to 500' },
      });
    }
  });

  it('answers one trace by id, 404 TraceNotFound for one it does not have, 400 for something that is no trace id', async () => {
    expect(await get(gateway, `/_local/traces/${OLDER}`)).toMatchObject({
      status: 200,
      json: { id: OLDER, name: 'ReserveRoomFunction', durationMs: 500 },
    });
    expect(await get(gateway, '/_local/traces/1-65f0a001-00000000000000000000ffff')).toMatchObject({
      status: 404,
      json: { error: 'TraceNotFound' },
    });
    expect(await get(gateway, '/_local/traces/%3Cscript%3E')).toMatchObject({
      status: 400,
      json: { error: 'ValidationError' },
    });
  });

  it('is not served when the gateway was given no traces', async () => {
    expect((await get(bare, '/_local/traces')).status).toBe(404);
  });
});
