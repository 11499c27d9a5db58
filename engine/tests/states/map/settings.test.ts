/** The Map state's *Path settings (states/map/settings.ts). */
import { harness, runToEnd } from '../../../src/testing/harness';

function mapWith(settings: object) {
  return {
    StartAt: 'Start',
    States: {
      Start: {
        Type: 'Pass',
        Assign: { limit: '1', percentage: '2.5', word: 'NoNumber' },
        Result: { Values: [1, 2, 3] },
        Next: 'MapState',
      },
      MapState: {
        Type: 'Map',
        ItemsPath: '$.Values',
        ...settings,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'HandleItem',
          States: { HandleItem: { Type: 'Pass', End: true } },
        },
        End: true,
      },
    },
  };
}

async function run(settings: object) {
  const h = harness();
  return runToEnd(h, h.start(mapWith(settings), {}));
}

describe('Map *Path settings', () => {
  test.each([
    [{ MaxConcurrencyPath: '$limit' }],
    [{ ToleratedFailureCountPath: '$limit' }],
    [{ ToleratedFailurePercentagePath: '$percentage' }],
  ])('accept a numeric string: %j', async (settings) => {
    const info = await run(settings);
    expect(info.status).toBe('SUCCEEDED');
    expect(info.output).toEqual([1, 2, 3]);
  });

  test('reject a fractional string where an integer is needed', async () => {
    const info = await run({ ToleratedFailureCountPath: '$percentage' });
    expect(info.error).toBe('States.Runtime');
    expect(info.cause).toContain(
      'The ToleratedFailureCountPath field refers to value "2.5" which is not a valid integer: $percentage',
    );
  });

  test('reject a string that is no number', async () => {
    const info = await run({ MaxConcurrencyPath: '$word' });
    expect(info.error).toBe('States.Runtime');
    expect(info.cause).toContain(
      'The MaxConcurrencyPath field refers to value "NoNumber" which is not a valid integer: $word',
    );
  });
});
