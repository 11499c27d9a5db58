import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaInvokeResult, LambdaInvoker } from '../../local/lambda-runner';

/** An in-process LambdaInvoker: each function is a plain function of the event; every call is recorded. */
export class FakeLambda implements LambdaInvoker {
  readonly calls: Array<{ functionName: string; event: any }> = [];
  constructor(private readonly handlers: Record<string, (event: any) => unknown | Promise<unknown>>) {}

  async invoke(functionName: string, event: unknown): Promise<LambdaInvokeResult> {
    this.calls.push({ functionName, event });
    const name = functionName.split(':function:').pop()!.split(':')[0];
    const handler = this.handlers[name];
    if (!handler) throw new Error(`ResourceNotFoundException: ${functionName}`);
    try {
      return { statusCode: 200, payload: await handler(event) };
    } catch (error) {
      const e = error as Error;
      return {
        statusCode: 200,
        functionError: 'Unhandled',
        payload: { errorType: e.name, errorMessage: e.message, trace: [] },
      };
    }
  }
}

export interface SfnCall {
  target: string;
  contentType: string | undefined;
  body: any;
}

/**
 * A minimal stand-in for the Step Functions API's HTTP face (AWS JSON 1.0): answers each
 * `X-Amz-Target` with the reply the test queued, and records what API Gateway sent.
 */
export class FakeStepFunctions {
  readonly calls: SfnCall[] = [];
  private readonly replies: Array<{ status: number; body: unknown }> = [];
  private server?: Server;
  url = '';

  reply(status: number, body: unknown): void {
    this.replies.push({ status, body });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        this.calls.push({
          target: String(req.headers['x-amz-target']),
          contentType: req.headers['content-type'],
          body,
        });
        const reply = this.replies.shift() ?? {
          status: 500,
          body: { __type: 'NoReplyQueued', message: 'the test queued no reply' },
        };
        res.writeHead(reply.status, { 'Content-Type': 'application/x-amz-json-1.0' }).end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
