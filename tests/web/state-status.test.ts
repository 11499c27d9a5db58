import { progressFromHistory } from '../../web/shared/graph/state-status';
import { HistoryBuilder } from './history-builder';

describe('progress from an execution history', () => {
  it('colours a succeeded path and leaves other states unreached', () => {
    const h = new HistoryBuilder()
      .task('A')
      .enter('C', 'Choice')
      .exit('C', 'Choice')
      .task('B')
      .add('ExecutionSucceeded');
    const progress = progressFromHistory(h.events);
    expect(progress.execution).toBe('SUCCEEDED');
    expect(Object.fromEntries(progress.states)).toEqual({ A: 'succeeded', C: 'succeeded', B: 'succeeded' });
  });

  it('shows the state waiting for a task token as in progress', () => {
    const h = new HistoryBuilder().task('Register').enter('Notify').attempt('submitted');
    const progress = progressFromHistory(h.events);
    expect(progress.execution).toBe('RUNNING');
    expect(progress.states.get('Notify')).toBe('running');
  });

  it('marks a failure that a Catch handled as a caught error', () => {
    const h = new HistoryBuilder()
      .enter('Notify')
      .attempt('TaskTimedOut')
      .exit('Notify')
      .task('RecordNotSat')
      .add('ExecutionSucceeded');
    expect(Object.fromEntries(progressFromHistory(h.events).states)).toEqual({
      Notify: 'caught',
      RecordNotSat: 'succeeded',
    });
  });

  it('forgets a failed attempt that a retry then fixed', () => {
    const h = new HistoryBuilder().enter('A').attempt('TaskFailed').attempt('TaskSucceeded').exit('A');
    expect(progressFromHistory(h.events).states.get('A')).toBe('succeeded');
  });

  it('marks the state whose uncaught error failed the execution, and a Fail state', () => {
    const uncaught = new HistoryBuilder()
      .task('A')
      .enter('B')
      .attempt('TaskFailed')
      .add('ExecutionFailed', { executionFailedEventDetails: { error: 'Boom' } });
    const p1 = progressFromHistory(uncaught.events);
    expect(p1.execution).toBe('FAILED');
    expect(Object.fromEntries(p1.states)).toEqual({ A: 'succeeded', B: 'failed' });
    const failState = new HistoryBuilder().enter('Oops', 'Fail').add('ExecutionFailed');
    expect(progressFromHistory(failState.events).states.get('Oops')).toBe('failed');
  });

  it('marks states cut short by StopExecution as cancelled', () => {
    const h = new HistoryBuilder()
      .enter('Wait', 'Wait')
      .add('ExecutionAborted', { executionAbortedEventDetails: {} }, 0);
    const progress = progressFromHistory(h.events);
    expect(progress.execution).toBe('ABORTED');
    expect(progress.states.get('Wait')).toBe('aborted');
  });

  it('attributes interleaved Parallel branch events to their own states through previousEventId', () => {
    const h = new HistoryBuilder().enter('P', 'Parallel').add('ParallelStateStarted');
    const started = h.events.length;
    h.add('TaskStateEntered', { stateEnteredEventDetails: { name: 'B1' } }, started).attempt('submitted');
    const b1Waiting = h.events.length;
    h.add('TaskStateEntered', { stateEnteredEventDetails: { name: 'B2' } }, started).attempt('TaskFailed');
    const b2Failed = h.events.length;
    h.add('TaskStateAborted', {}, b1Waiting).add('ParallelStateFailed', {}, b2Failed).add('ExecutionFailed');
    const progress = progressFromHistory(h.events);
    expect(Object.fromEntries(progress.states)).toEqual({ P: 'failed', B1: 'aborted', B2: 'failed' });
  });
});
