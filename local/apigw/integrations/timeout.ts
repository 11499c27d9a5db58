/** The integration did not answer within its timeoutInMillis (API Gateway's 29 s by default). */
export class IntegrationTimeout extends Error {
  constructor(ms: number) {
    super(`the integration did not answer within ${ms} ms`);
    this.name = 'IntegrationTimeout';
  }
}

/** Runs `work`, aborting its signal and rejecting with IntegrationTimeout once `ms` have passed. */
export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new IntegrationTimeout(ms));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
