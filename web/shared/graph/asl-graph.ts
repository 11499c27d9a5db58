/**
 * Amazon States Language definition → the nodes and edges the Step Functions console draws: a Start and
 * an End node, one node per state, Next / Choice / Default / Catch edges, and each Parallel or Map state as
 * a group holding its branches (the group's own node stands at its top, a small "end" node at its bottom,
 * because dagre cannot route edges to a group box itself). Pure: no DOM, no layout.
 */
export type GraphNodeKind = 'start' | 'end' | 'state' | 'groupEnd';
export type GraphEdgeKind = 'next' | 'choice' | 'default' | 'catch' | 'branch';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  /** The state this node stands for (a group's end node stands for its Parallel/Map state). */
  stateName?: string;
  stateType?: string;
  /** Id of the group (Parallel/Map) that contains this node. */
  parent?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  label?: string;
}

export interface GraphGroup {
  id: string;
  stateName: string;
  stateType: 'Parallel' | 'Map';
  parent?: string;
}

export interface WorkflowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  groups: GraphGroup[];
}

export class AslGraphError extends Error {
  override name = 'AslGraphError';
}

export const START_ID = 'start';
export const END_ID = 'end';
export const stateNodeId = (name: string): string => `state:${name}`;
export const groupId = (name: string): string => `group:${name}`;
export const groupEndId = (name: string): string => `groupEnd:${name}`;

interface StatesScope {
  StartAt: string;
  States: Record<string, AslState>;
}

interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: ChoiceRule[];
  Catch?: { ErrorEquals?: string[]; Next: string }[];
  Branches?: StatesScope[];
  Iterator?: StatesScope;
  ItemProcessor?: StatesScope;
  [field: string]: unknown;
}

type ChoiceRule = Record<string, unknown> & { Next?: string };

const MAX_LABEL = 40;

function shorten(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

/** Longest suffix first, so GreaterThanEquals is not read as Equals. */
const COMPARATORS: [suffix: string, symbol: string][] = [
  ['GreaterThanEquals', '>='],
  ['LessThanEquals', '<='],
  ['GreaterThan', '>'],
  ['LessThan', '<'],
  ['Equals', '=='],
];

/** The rule itself, or its Comment when the rule is too long to show (a long JSONata check reads badly cut short). */
function choiceLabel(rule: Record<string, unknown>): string {
  const described = describeChoiceRule(rule);
  return described.length > MAX_LABEL && typeof rule.Comment === 'string' ? rule.Comment : described;
}

/** A short human summary of a Choice rule: the JSONata Condition, or the JSONPath comparison. */
export function describeChoiceRule(rule: Record<string, unknown>): string {
  if (typeof rule.Condition === 'string') return rule.Condition.replace(/^\{%\s*/, '').replace(/\s*%\}$/, '');
  if (Array.isArray(rule.And))
    return rule.And.map((r) => describeChoiceRule(r as Record<string, unknown>)).join(' and ');
  if (Array.isArray(rule.Or)) return rule.Or.map((r) => describeChoiceRule(r as Record<string, unknown>)).join(' or ');
  if (typeof rule.Not === 'object' && rule.Not !== null)
    return `not (${describeChoiceRule(rule.Not as Record<string, unknown>)})`;
  const variable = typeof rule.Variable === 'string' ? rule.Variable : '';
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next' || key === 'Comment' || key === 'Assign' || key === 'Output') continue;
    const isPath = key.endsWith('Path');
    const base = isPath ? key.slice(0, -4) : key;
    const op = COMPARATORS.find(([suffix]) => base.endsWith(suffix));
    const shown = isPath ? String(value) : JSON.stringify(value);
    if (op) return `${variable} ${op[1]} ${shown}`;
    return `${variable} ${base} ${shown}`.trim();
  }
  return variable || 'rule';
}

function scopeOf(value: unknown, where: string): StatesScope {
  const scope = value as StatesScope | undefined;
  if (!scope || typeof scope.StartAt !== 'string' || typeof scope.States !== 'object' || scope.States === null) {
    throw new AslGraphError(`${where} has no StartAt and States.`);
  }
  if (!(scope.StartAt in scope.States)) throw new AslGraphError(`${where}: StartAt "${scope.StartAt}" is not a state.`);
  return scope;
}

export function aslToGraph(definition: unknown): WorkflowGraph {
  const graph: WorkflowGraph = { nodes: [], edges: [], groups: [] };
  const root = scopeOf(typeof definition === 'string' ? JSON.parse(definition) : definition, 'The definition');
  graph.nodes.push({ id: START_ID, kind: 'start', label: 'Start' }, { id: END_ID, kind: 'end', label: 'End' });
  graph.edges.push({ from: START_ID, to: stateNodeId(root.StartAt), kind: 'next' });
  addScope(graph, root, END_ID, undefined);
  return graph;
}

/** Adds a scope's states; `exitId` is where an End state (or Succeed) leads: the End node or its group's end. */
function addScope(graph: WorkflowGraph, scope: StatesScope, exitId: string, parent: string | undefined): void {
  const target = (name: string, from: string): string => {
    if (!(name in scope.States))
      throw new AslGraphError(`State "${from}" goes to "${name}", which is not a state in its scope.`);
    return stateNodeId(name);
  };
  for (const [name, state] of Object.entries(scope.States)) {
    if (typeof state !== 'object' || state === null || typeof state.Type !== 'string') {
      throw new AslGraphError(`State "${name}" has no Type.`);
    }
    const id = stateNodeId(name);
    let leaveFrom = id;
    if (state.Type === 'Parallel' || state.Type === 'Map') {
      const group = groupId(name);
      graph.groups.push({ id: group, stateName: name, stateType: state.Type, parent });
      graph.nodes.push({ id, kind: 'state', label: name, stateName: name, stateType: state.Type, parent: group });
      const end = groupEndId(name);
      graph.nodes.push({
        id: end,
        kind: 'groupEnd',
        label: `${state.Type} end`,
        stateName: name,
        stateType: state.Type,
        parent: group,
      });
      const branches =
        state.Type === 'Parallel'
          ? (state.Branches ?? []).map((b, i) => scopeOf(b, `Branch ${i + 1} of "${name}"`))
          : [scopeOf(state.ItemProcessor ?? state.Iterator, `The ItemProcessor of "${name}"`)];
      for (const branch of branches) {
        graph.edges.push({ from: id, to: stateNodeId(branch.StartAt), kind: 'branch' });
        addScope(graph, branch, end, group);
      }
      leaveFrom = end;
    } else {
      graph.nodes.push({ id, kind: 'state', label: name, stateName: name, stateType: state.Type, parent });
    }
    if (state.Type === 'Choice') {
      for (const rule of state.Choices ?? []) {
        if (typeof rule.Next !== 'string') throw new AslGraphError(`A Choice rule of "${name}" has no Next.`);
        graph.edges.push({ from: id, to: target(rule.Next, name), kind: 'choice', label: shorten(choiceLabel(rule)) });
      }
      if (typeof state.Default === 'string')
        graph.edges.push({ from: id, to: target(state.Default, name), kind: 'default', label: 'Default' });
    } else if (typeof state.Next === 'string') {
      graph.edges.push({ from: leaveFrom, to: target(state.Next, name), kind: 'next' });
    } else if (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail') {
      graph.edges.push({ from: leaveFrom, to: exitId, kind: 'next' });
    }
    for (const catcher of state.Catch ?? []) {
      graph.edges.push({
        from: leaveFrom,
        to: target(catcher.Next, name),
        kind: 'catch',
        label: shorten((catcher.ErrorEquals ?? []).join(', ')),
      });
    }
  }
}
