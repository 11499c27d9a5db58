/** Which failures ErrorEquals covers (error-handling/matches.ts). */
import { harness, runToEnd } from '../../src/testing/harness';

test('States.TaskFailed matches task errors but not States.Timeout', async () => {
  const h = harness(() => ({ ok: false, error: 'Anything' }));
  const info = await runToEnd(
    h,
    h.start({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'C' }],
          End: true,
        },
        C: { Type: 'Pass', Result: 'caught', End: true },
      },
    }),
  );
  expect(info.output).toBe('caught');
});
