/** Status words and badge tones shared by the pages (the words a person reads, never the raw enum). */
import { html, type SafeHtml } from './html';

type Tone = 'ok' | 'bad' | 'warn' | 'run' | 'none';

const INCIDENT_STATUS: Record<string, [string, Tone]> = {
  EXAM_SCHEDULED: ['Exam scheduled', 'run'],
  RESOLVED: ['Resolved', 'ok'],
  ADMIN_ACTION_REQUIRED: ['Admin action required', 'bad'],
};

const EXAM_RESULT: Record<string, [string, Tone]> = {
  PASSED: ['Passed', 'ok'],
  FAILED: ['Failed', 'bad'],
  NOT_SAT: ['Not sat', 'warn'],
};

const EXECUTION_STATUS: Record<string, [string, Tone]> = {
  RUNNING: ['Running', 'run'],
  SUCCEEDED: ['Succeeded', 'ok'],
  FAILED: ['Failed', 'bad'],
  TIMED_OUT: ['Timed out', 'bad'],
  ABORTED: ['Aborted', 'warn'],
};

/** X-Ray's words: an error is a client error (a domain error, 4xx), a fault a server error (5xx, a crash). */
const TRACE_STATUS: Record<string, [string, Tone]> = {
  ok: ['OK', 'ok'],
  error: ['Error', 'warn'],
  fault: ['Fault', 'bad'],
  'in progress': ['In progress', 'run'],
};

function badge([text, tone]: [string, Tone]): SafeHtml {
  return html`<span class="badge ${tone}">${text}</span>`;
}

export const incidentStatusBadge = (status: string): SafeHtml => badge(INCIDENT_STATUS[status] ?? [status, 'none']);
export const examResultBadge = (result: string | null): SafeHtml =>
  badge(result === null ? ['Pending', 'run'] : (EXAM_RESULT[result] ?? [result, 'none']));
export const executionStatusBadge = (status: string): SafeHtml => badge(EXECUTION_STATUS[status] ?? [status, 'none']);
export const traceStatusBadge = (status: string): SafeHtml => badge(TRACE_STATUS[status] ?? [status, 'none']);
