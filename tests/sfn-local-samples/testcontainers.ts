/**
 * Stands in for the `testcontainers` package when the vendored TypeScript sample (serverless-test-samples
 * typescript-test-samples/step-functions-local) runs in `npm test` (jest.config.cjs maps the module here, for that
 * sample only). The sample's own code is unchanged: where it starts the amazon/aws-stepfunctions-local container,
 * this starts our Step Functions API in Step Functions Local mode, in-process, on a free port, with what the sample
 * asked of the container: the files it copies in (its SFN_MOCK_CONFIG is read from the host file copied to that
 * path), its environment, and its wait for a log line (checked against the server's own start-up lines, as the
 * container would print them: on its port 8083).
 *
 * Only what the sample uses exists (GenericContainer's builder, Wait.forLogMessage, StartedTestContainer's getId,
 * getHost, getMappedPort, stop); anything else is missing on purpose, so a sample that needs more fails visibly.
 */
import { randomUUID } from 'node:crypto';
import { type SfnLocalApi, startSfnLocalApi } from './sfn-local-api';

const STEP_FUNCTIONS_LOCAL_IMAGE = 'amazon/aws-stepfunctions-local';
/** The port Step Functions Local listens on inside its container. */
const CONTAINER_PORT = 8083;

interface LogMessageWait {
  message: string | RegExp;
}

export const Wait = {
  forLogMessage: (message: string | RegExp): LogMessageWait => ({ message }),
};

export class GenericContainer {
  private readonly files = new Map<string, string>();
  private environment: Record<string, string> = {};
  private wait: LogMessageWait | undefined;

  constructor(private readonly image: string) {
    if (image.split(':')[0] !== STEP_FUNCTIONS_LOCAL_IMAGE)
      throw new Error(`this testcontainers stand-in runs only ${STEP_FUNCTIONS_LOCAL_IMAGE}, not ${image}`);
  }

  withExposedPorts(...ports: number[]): this {
    const other = ports.filter((port) => port !== CONTAINER_PORT);
    if (other.length > 0) throw new Error(`${this.image} exposes only port ${CONTAINER_PORT}, not ${other.join(', ')}`);
    return this;
  }

  withCopyFilesToContainer(files: Array<{ source: string; target: string }>): this {
    for (const { source, target } of files) this.files.set(target, source);
    return this;
  }

  withEnvironment(environment: Record<string, string>): this {
    this.environment = { ...this.environment, ...environment };
    return this;
  }

  withDefaultLogDriver(): this {
    return this;
  }

  withWaitStrategy(wait: LogMessageWait): this {
    this.wait = wait;
    return this;
  }

  async start(): Promise<StartedTestContainer> {
    const mockConfig = this.environment.SFN_MOCK_CONFIG;
    const mockConfigPath = mockConfig === undefined ? undefined : this.files.get(mockConfig);
    if (mockConfig !== undefined && mockConfigPath === undefined)
      throw new Error(`SFN_MOCK_CONFIG names ${mockConfig}, which no withCopyFilesToContainer put in the container`);
    const logs: string[] = [];
    const api = await startSfnLocalApi({
      port: 0,
      region: this.environment.AWS_DEFAULT_REGION ?? 'us-east-1',
      mockConfigPath,
      // The container's log: there it listens on its own port 8083, whichever host port that is mapped to.
      log: (line) => logs.push(line.replace(/^(Starting server on port )\d+$/, `$1${CONTAINER_PORT}`)),
    });
    const started = new StartedTestContainer(api);
    const wanted = this.wait?.message;
    if (
      wanted !== undefined &&
      !logs.some((line) => (typeof wanted === 'string' ? line.includes(wanted) : wanted.test(line)))
    ) {
      await started.stop();
      throw new Error(`the container never logged ${String(wanted)}; it logged: ${logs.join(' | ')}`);
    }
    return started;
  }
}

export class StartedTestContainer {
  private readonly id = randomUUID().replaceAll('-', '');

  constructor(private readonly api: SfnLocalApi) {}

  getId(): string {
    return this.id;
  }

  getHost(): string {
    return 'localhost';
  }

  getMappedPort(port: number): number {
    if (port !== CONTAINER_PORT) throw new Error(`port ${port} is not exposed (only ${CONTAINER_PORT})`);
    return this.api.server.port;
  }

  stop(): Promise<void> {
    return this.api.stop();
  }
}
