/** Workflow variables (variables/scope.ts): inner scopes, Assign seeing the values from before the state. */
import { harness, runToEnd } from '../../src/testing/harness';

test('variables: inner scopes read outer ones; Assign sees values from before the state; Catch on a Map assigns outside', async () => {
  const h = harness();
  const info = await runToEnd(
    h,
    h.start({
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { x: 1, y: 2 }, Next: 'Swap' },
        Swap: { Type: 'Pass', Assign: { x: '{% $y %}', y: '{% $x %}' }, Next: 'M' },
        M: {
          Type: 'Map',
          Items: [10, 20],
          ItemProcessor: {
            StartAt: 'Add',
            States: { Add: { Type: 'Pass', Output: '{% $states.input + $x %}', End: true } },
          },
          Output: { sums: '{% $states.result %}', x: '{% $x %}', y: '{% $y %}' },
          End: true,
        },
      },
    }),
  );
  expect(info.output).toEqual({ sums: [12, 22], x: 2, y: 1 });
});
