/**
 * How long the local cloud's HTTP servers (the API Gateway emulator, the Step Functions API) give a client to send a
 * request. A request body is held in memory while it arrives (up to the server's cap: 10 MB for API Gateway, 1 MB
 * for Step Functions), so a client that starts an upload and never finishes it (slowloris) must not hold that memory
 * for good: node:http answers it 408 Request Timeout and closes its connection.
 */

/** A whole request, headers and a body at the cap, takes far less on this machine. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * node:http's limits on receiving a request: all of it within `requestTimeoutMs`, its headers within a third of that
 * (at most 10 s), checked often enough for the limit to hold (Node checks every 30 s by default). They bound only the
 * receiving: a request received whole may wait as long as its answer takes.
 */
export function requestTimeouts(requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS) {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(10_000, Math.max(1, Math.floor(requestTimeoutMs / 3))),
    connectionsCheckingInterval: Math.min(1_000, Math.max(10, Math.floor(requestTimeoutMs / 4))),
  };
}
