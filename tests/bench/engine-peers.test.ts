/**
 * `npm run bench -- engine` runs the call-centre definition on our engine and on aws-local-stepfunctions. Both must
 * still run it, to the same output, after any change to the definition (bench/engine.ts enginePeers checks that):
 * otherwise the benchmark fails only when someone runs it.
 */
import { enginePeers } from '../../bench/engine';

test('both engines run the current call-centre definition to the same confirmed reservation', async () => {
  const { output } = await enginePeers();
  expect(output).toMatchObject({ TransactionType: 'Reserve', Status: 'CONFIRMED', RoomType: 'DELUXE' });
});
