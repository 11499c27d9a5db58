/** The email inviting the student to the exam, with their personal Testing Centre link. */
import { escapeHtml, type Email } from '../shared/infrastructure/email';

export interface ExamInvitation {
  studentName: string;
  studentEmail: string;
  deadline: string;
  examLink: string;
}

export function examEmail({ studentName, studentEmail, deadline, examLink }: ExamInvitation): Email {
  const due = `${new Date(deadline).toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
  return {
    to: studentEmail,
    subject: 'Your academic referencing exam is ready',
    text: [
      `Dear ${studentName},`,
      '',
      'As part of the review of a recent academic integrity incident, we would like you to take a short online',
      'exam on academic referencing and citation. It only takes a few minutes, and it is a chance to show that you',
      'know how to credit the work of others.',
      '',
      `Please complete it by ${due} at:`,
      examLink,
      '',
      'The link is personal to you; please do not share it.',
      '',
      'Kind regards,',
      'The Academic Integrity Office',
    ].join('\n'),
    html: [
      `<p>Dear ${escapeHtml(studentName)},</p>`,
      '<p>As part of the review of a recent academic integrity incident, we would like you to take a short online',
      'exam on academic referencing and citation. It only takes a few minutes, and it is a chance to show that you',
      'know how to credit the work of others.</p>',
      `<p>Please complete it by <strong>${escapeHtml(due)}</strong>:</p>`,
      `<p><a href="${escapeHtml(examLink)}">Take the exam in the Testing Centre</a></p>`,
      `<p>If the button does not work, copy this address into your browser:<br>${escapeHtml(examLink)}</p>`,
      '<p>The link is personal to you; please do not share it.</p>',
      '<p>Kind regards,<br>The Academic Integrity Office</p>',
    ].join('\n'),
  };
}
