/**
 * The `SdkHttpMetadata` / `SdkResponseMetadata` members Step Functions adds to the results of its
 * optimized integrations (lambda:invoke, dynamodb:*), shaped as AWS records them (§6.1, §6.3).
 */
export interface ResponseMetadata {
  SdkHttpMetadata: {
    AllHttpHeaders: Record<string, string[]>;
    HttpHeaders: Record<string, string>;
    HttpStatusCode: number;
  };
  SdkResponseMetadata: { RequestId: string };
}

export function responseMetadata(options: {
  requestId: string;
  statusCode: number;
  contentType: string;
  body: string;
  date: Date;
  extraHeaders?: Record<string, string>;
}): ResponseMetadata {
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Length': String(Buffer.byteLength(options.body)),
    'Content-Type': options.contentType,
    Date: options.date.toUTCString(),
    'x-amzn-RequestId': options.requestId,
    ...options.extraHeaders,
  };
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: options.statusCode,
    },
    SdkResponseMetadata: { RequestId: options.requestId },
  };
}
