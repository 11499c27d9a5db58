/**
 * State machines on disk: `<dataDir>/state-machines.jsonl`, a log of put/delete records replayed at start
 * and then compacted to one put per live state machine.
 */
import type { StateMachineRecord } from '../model';
import { KeyedStore } from './keyed-store';

export class StateMachineStore extends KeyedStore<StateMachineRecord> {
  constructor(dataDir: string) {
    super(dataDir, 'state-machines.jsonl', 'stateMachine', 'stateMachineArn');
  }
}
