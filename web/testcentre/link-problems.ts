/** Plain explanations for a Testing Centre link that cannot be used (the API's error names, docs/contract.md). */
import { ApiError } from '../shared/api';

const PROBLEMS: Record<string, string> = {
  incomplete:
    'This page needs the exam link from your email. Open the link exactly as it was sent (copying only part of it will not work).',
  ExamExpired:
    'This exam link has expired: the deadline has passed. The academic integrity office has been told and will contact you.',
  ExamClosed:
    'This exam is closed: the plagiarism process of this incident was stopped, so answers can no longer be accepted. The academic integrity office will contact you.',
  ExamAlreadySubmitted:
    'This exam has already been submitted, so it cannot be taken again with this link. If you failed it, a new link is sent to your email.',
  InvalidToken: 'This exam link is not valid. It may belong to an earlier exam: use the newest link you were emailed.',
  ExamNotFound: 'This exam link is not valid: no such exam was found. Use the newest link you were emailed.',
};

/**
 * The explanation for an API failure, for a link missing its parameters ('incomplete') or for one whose exam
 * was already submitted ('submitted'), or undefined when the failure is not about the link.
 */
export function linkProblem(error: unknown): string | undefined {
  if (error === 'incomplete') return PROBLEMS.incomplete;
  if (error === 'submitted') return PROBLEMS.ExamAlreadySubmitted;
  if (!(error instanceof ApiError)) return undefined;
  if (error.status === 410) return error.error === 'ExamClosed' ? PROBLEMS.ExamClosed : PROBLEMS.ExamExpired;
  if (error.status === 409) return PROBLEMS.ExamAlreadySubmitted;
  if (error.status === 403 && error.error === 'InvalidToken') return PROBLEMS.InvalidToken;
  if (error.status === 404) return PROBLEMS.ExamNotFound;
  return undefined;
}
