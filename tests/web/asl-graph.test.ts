import plagiarism from '../../statemachine/plagiarism.asl.json';
import callCentre from '../../statemachine/call-centre.asl.json';
import {
  AslGraphError,
  aslToGraph,
  describeChoiceRule,
  END_ID,
  groupEndId,
  groupId,
  START_ID,
  stateNodeId,
} from '../../web/shared/graph/asl-graph';
import { layoutGraph } from '../../web/shared/graph/layout';

describe('ASL to graph', () => {
  it('draws the plagiarism workflow: every state, Choice branches with their conditions, Catch edges, Start and End', () => {
    const graph = aslToGraph(plagiarism);
    const states = graph.nodes.filter((n) => n.kind === 'state').map((n) => n.stateName);
    expect(states.sort()).toEqual(Object.keys(plagiarism.States).sort());
    expect(graph.edges).toContainEqual({ from: START_ID, to: stateNodeId('ValidateIncident'), kind: 'next' });
    // A choice rule too long to show is labelled by its Comment.
    expect(graph.edges).toContainEqual({
      from: stateNodeId('ValidateIncident'),
      to: stateNodeId('RegisterIncident'),
      kind: 'choice',
      label: 'input valid as POST /incident',
    });
    expect(graph.edges).toContainEqual({
      from: stateNodeId('HasStudentPassedExam'),
      to: stateNodeId('ResolveIncident'),
      kind: 'choice',
      label: "$states.input.Result = 'PASSED'",
    });
    expect(graph.edges).toContainEqual({
      from: stateNodeId('HasStudentPassedExam'),
      to: stateNodeId('ScheduleExam'),
      kind: 'choice',
      label: "$states.input.Result = 'FAILED'",
    });
    expect(graph.edges).toContainEqual({
      from: stateNodeId('HasStudentPassedExam'),
      to: stateNodeId('CloseUnrecordedExam'),
      kind: 'choice',
      label: 'no result recorded: a forged callback',
    });
    expect(graph.edges).toContainEqual({
      from: stateNodeId('HasStudentPassedExam'),
      to: stateNodeId('TakeAdministrativeAction'),
      kind: 'default',
      label: 'Default',
    });
    // The result is read from the record after the callback, and after a NOT_SAT or a closing that found one.
    expect(graph.edges).toContainEqual({
      from: stateNodeId('SendExamNotification'),
      to: stateNodeId('ReadExamResult'),
      kind: 'next',
    });
    for (const finder of ['RecordExamNotSat', 'CloseUnrecordedExam']) {
      expect(graph.edges).toContainEqual({
        from: stateNodeId(finder),
        to: stateNodeId('ReadExamResult'),
        kind: 'catch',
        label: 'DynamoDB.ConditionalCheckFailedException',
      });
    }
    expect(graph.edges).toContainEqual({
      from: stateNodeId('SendExamNotification'),
      to: stateNodeId('RecordExamNotSat'),
      kind: 'catch',
      label: 'States.Timeout',
    });
    // The last-resort catchers: the specific one and States.ALL both lead to administrative action, as two edges.
    for (const failing of [
      'ScheduleExam',
      'SendExamNotification',
      'ReadExamResult',
      'CloseUnrecordedExam',
      'RecordExamNotSat',
      'ResolveIncident',
    ]) {
      expect(graph.edges).toContainEqual({
        from: stateNodeId(failing),
        to: stateNodeId('TakeAdministrativeAction'),
        kind: 'catch',
        label: 'States.ALL',
      });
    }
    expect(graph.edges).toContainEqual({
      from: stateNodeId('ScheduleExam'),
      to: stateNodeId('TakeAdministrativeAction'),
      kind: 'catch',
      label: 'StudentExceededAllowableExamRetries',
    });
    expect(graph.edges).toContainEqual({
      from: stateNodeId('HasWorkflowFailed'),
      to: stateNodeId('WorkflowFailed'),
      kind: 'choice',
      label: "$adminReason = 'WORKFLOW_FAILED'",
    });
    expect(graph.edges).toContainEqual({
      from: stateNodeId('HasWorkflowFailed'),
      to: stateNodeId('AdministrativeActionTaken'),
      kind: 'default',
      label: 'Default',
    });
    expect(graph.edges).toContainEqual({ from: stateNodeId('WorkflowFailed'), to: END_ID, kind: 'next' });
    expect(graph.edges).toContainEqual({ from: stateNodeId('ResolveIncident'), to: END_ID, kind: 'next' });
    expect(graph.groups).toEqual([]);
  });

  it('draws the call-centre workflow', () => {
    const graph = aslToGraph(callCentre);
    expect(graph.nodes.filter((n) => n.kind === 'state')).toHaveLength(Object.keys(callCentre.States).length);
    // 9 states, Start and End.
    expect(graph.nodes).toHaveLength(11);
    // Start → ProcessTransaction, its 2 choices and Default, KeyReserveToExecution → Reserve, Reserve and Cancel each
    // to End and to 3 catchers, and the 5 Fail states to End: 18 edges, so the check below is over all of them.
    expect(graph.edges).toHaveLength(18);
    expect(
      graph.edges.every((e) => graph.nodes.some((n) => n.id === e.from) && graph.nodes.some((n) => n.id === e.to)),
    ).toBe(true);
  });

  it('draws Parallel and Map states as groups holding their branches', () => {
    const graph = aslToGraph({
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
            {
              StartAt: 'Each',
              States: {
                Each: {
                  Type: 'Map',
                  ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Succeed' } } },
                  End: true,
                },
              },
            },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
        Failed: { Type: 'Fail' },
      },
    });
    expect(graph.groups).toEqual([
      { id: groupId('Fan'), stateName: 'Fan', stateType: 'Parallel', parent: undefined },
      { id: groupId('Each'), stateName: 'Each', stateType: 'Map', parent: groupId('Fan') },
    ]);
    expect(graph.nodes.find((n) => n.id === stateNodeId('Item'))?.parent).toBe(groupId('Each'));
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: stateNodeId('Fan'), to: stateNodeId('Left'), kind: 'branch' },
        { from: stateNodeId('Left'), to: groupEndId('Fan'), kind: 'next' },
        { from: stateNodeId('Item'), to: groupEndId('Each'), kind: 'next' },
        { from: groupEndId('Each'), to: groupEndId('Fan'), kind: 'next' },
        { from: groupEndId('Fan'), to: stateNodeId('Done'), kind: 'next' },
        { from: groupEndId('Fan'), to: stateNodeId('Failed'), kind: 'catch', label: 'States.ALL' },
      ]),
    );
  });

  it('summarises JSONPath choice rules', () => {
    expect(describeChoiceRule({ Variable: '$.n', NumericGreaterThanEquals: 67, Next: 'x' })).toBe('$.n >= 67');
    expect(describeChoiceRule({ Variable: '$.s', StringEqualsPath: '$.t', Next: 'x' })).toBe('$.s == $.t');
    expect(
      describeChoiceRule({
        And: [{ Variable: '$.a', IsPresent: true }, { Not: { Variable: '$.b', BooleanEquals: true } }],
        Next: 'x',
      }),
    ).toBe('$.a IsPresent true and not ($.b == true)');
  });

  it('rejects a definition it cannot draw with a named error', () => {
    expect(() => aslToGraph({ States: {} })).toThrow(AslGraphError);
    expect(() => aslToGraph({ StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } })).toThrow(
      'StartAt "Nope" is not a state',
    );
    expect(() => aslToGraph({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Gone' } } })).toThrow(
      '"A" goes to "Gone"',
    );
    expect(() => aslToGraph({ StartAt: 'A', States: { A: { Next: 'A' } } })).toThrow('State "A" has no Type.');
  });
});

describe('layout', () => {
  it('places every node and edge, with a group box around its children', () => {
    const layout = layoutGraph(
      aslToGraph({
        StartAt: 'Fan',
        States: {
          Fan: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'L', States: { L: { Type: 'Pass', End: true } } },
              { StartAt: 'R', States: { R: { Type: 'Pass', End: true } } },
            ],
            End: true,
          },
        },
      }),
    );
    // Start, End, Fan, Fan's group end, L and R; 6 edges (Start → Fan → L and R → the group end → End).
    expect(layout.nodes).toHaveLength(6);
    expect(layout.edges).toHaveLength(6);
    for (const node of layout.nodes) {
      expect(Number.isFinite(node.x) && Number.isFinite(node.y)).toBe(true);
      expect(node.x + node.width / 2).toBeLessThanOrEqual(layout.width);
    }
    expect(layout.edges.every((e) => e.points.length >= 2)).toBe(true);
    expect(layout.groups).toHaveLength(1);
    const group = layout.groups[0]!;
    const children = layout.nodes.filter((n) => n.parent === group.id);
    expect(children.map((n) => n.id).sort()).toEqual(
      [groupEndId('Fan'), stateNodeId('Fan'), stateNodeId('L'), stateNodeId('R')].sort(),
    );
    for (const child of children) {
      expect(child.x - child.width / 2).toBeGreaterThanOrEqual(group.x - group.width / 2);
      expect(child.y + child.height / 2).toBeLessThanOrEqual(group.y + group.height / 2);
    }
    const top = (id: string) => layout.nodes.find((n) => n.id === id)!.y;
    expect(top(START_ID)).toBeLessThan(top(stateNodeId('Fan')));
    expect(top(stateNodeId('L'))).toBeLessThan(top(END_ID));
  });

  it('lays out the plagiarism workflow with its labels placed', () => {
    const layout = layoutGraph(aslToGraph(plagiarism));
    const labelled = layout.edges.filter((e) => e.label);
    // 6 choice and 3 Default edges of the 3 Choice states, and 11 Catch edges.
    expect(labelled).toHaveLength(20);
    expect(labelled.every((e) => e.labelAt !== undefined)).toBe(true);
    expect(layout.width).toBeGreaterThan(0);
  });
});
