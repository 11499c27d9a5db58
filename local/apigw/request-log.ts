/**
 * The request target as the emulator's request log prints it. The Testing Centre link
 * (`/testcentre/?IncidentId=…&ExamId=…&TaskToken=…`, and `GET /exam/questions` with the same parameters) carries
 * the student's task token, their credential for `POST /exam`: a log line must not hand it to whoever reads the
 * terminal or a CI log. Its value is replaced, the rest of the line stays useful.
 */

/** Query parameters whose values are credentials, by their decoded name in lower case. */
const SECRET_PARAMETERS = new Set(['tasktoken']);

export function loggableTarget(target: string): string {
  const query = target.indexOf('?');
  if (query < 0) return target;
  const hash = target.indexOf('#', query);
  const end = hash < 0 ? target.length : hash;
  const pairs = target
    .slice(query + 1, end)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      // Decoded as URLSearchParams would (so `Task%54oken` is caught too); a malformed escape is kept as written.
      let name = rawName.replace(/\+/g, ' ');
      try {
        name = decodeURIComponent(name);
      } catch {
        // not decodable: compared as written
      }
      return equals >= 0 && SECRET_PARAMETERS.has(name.toLowerCase()) ? `${rawName}=[redacted]` : pair;
    });
  return `${target.slice(0, query)}?${pairs.join('&')}${target.slice(end)}`;
}
