/**
 * Draws a laid-out workflow as SVG, coloured like the Step Functions console (green succeeded, red failed,
 * orange caught error, blue in progress, grey cancelled, white not reached). Colour is never the only cue:
 * each state also shows a mark and its status in words, and every node is keyboard-focusable with a text
 * alternative. All text goes in through textContent, so state names can never become markup.
 */
import { aslToGraph } from './asl-graph';
import { layoutGraph, type PositionedEdge, type PositionedNode } from './layout';
import { STATUS_TEXT, type ExecutionProgress, type StateStatus } from './state-status';

const SVG = 'http://www.w3.org/2000/svg';
const MARK: Record<StateStatus, string> = {
  succeeded: '✓',
  failed: '✕',
  caught: '!',
  running: '…',
  aborted: '■',
  notReached: '',
};

export interface WorkflowGraphOptions {
  /** What the figure shows, e.g. "Workflow of incident 1234" (becomes its caption and accessible name). */
  caption: string;
  /** Called with a state's name when its node is activated (click, Enter, Space). */
  onSelectState?: (stateName: string) => void;
  /** The state shown as selected when drawn (the page keeps its selection across redraws). */
  selectedState?: string;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

function edgePath(points: readonly { x: number; y: number }[]): string {
  // Quadratic curves through the midpoints: smooth bends without a spline library.
  let d = `M${points[0]!.x},${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const next = points[i + 1]!;
    d += ` Q${p.x},${p.y} ${(p.x + next.x) / 2},${(p.y + next.y) / 2}`;
  }
  const last = points[points.length - 1]!;
  return `${d} L${last.x},${last.y}`;
}

export function nodeStatus(node: PositionedNode, progress: ExecutionProgress | undefined): StateStatus {
  if (!progress) return 'notReached';
  if (node.kind === 'start') return 'succeeded';
  if (node.kind === 'end') {
    return progress.execution === 'SUCCEEDED'
      ? 'succeeded'
      : progress.execution === 'RUNNING'
        ? 'notReached'
        : progress.execution === 'ABORTED'
          ? 'aborted'
          : 'failed';
  }
  const status = progress.states.get(node.stateName!) ?? 'notReached';
  // A group's end dot is reached only once its Parallel/Map state has finished.
  return node.kind === 'groupEnd' && status === 'running' ? 'notReached' : status;
}

function drawEdge(edge: PositionedEdge): SVGGElement {
  const g = svg('g', { class: `edge edge-${edge.kind}` });
  g.append(svg('path', { d: edgePath(edge.points), 'marker-end': 'url(#wf-arrow)' }));
  if (edge.label && edge.labelAt) {
    const width = edge.label.length * 6.4 + 8;
    g.append(
      svg('rect', {
        class: 'edge-label-bg',
        x: edge.labelAt.x - width / 2,
        y: edge.labelAt.y - 9,
        width,
        height: 18,
        rx: 3,
      }),
      svg(
        'text',
        { class: 'edge-label', x: edge.labelAt.x, y: edge.labelAt.y + 4, 'text-anchor': 'middle' },
        edge.label,
      ),
    );
  }
  return g;
}

function drawNode(node: PositionedNode, status: StateStatus, onSelect?: (name: string) => void): SVGGElement {
  const left = node.x - node.width / 2;
  const top = node.y - node.height / 2;
  const g = svg('g', { class: `node node-${node.kind} status-${status}`, transform: `translate(${left},${top})` });
  if (node.kind === 'groupEnd') {
    g.append(svg('circle', { cx: node.width / 2, cy: node.height / 2, r: node.width / 2 - 2 }));
    g.append(svg('title', {}, `End of ${node.stateName}: ${STATUS_TEXT[status]}`));
    return g;
  }
  const rounded = node.kind === 'state' ? 6 : node.height / 2;
  g.append(svg('rect', { width: node.width, height: node.height, rx: rounded }));
  const mark = MARK[status];
  if (node.kind === 'state') {
    g.append(svg('text', { class: 'node-label', x: 12, y: 21 }, node.label));
    g.append(svg('text', { class: 'node-type', x: 12, y: 39 }, `${node.stateType} · ${STATUS_TEXT[status]}`));
    if (mark)
      g.append(
        svg(
          'text',
          { class: 'node-mark', x: node.width - 12, y: 21, 'text-anchor': 'end', 'aria-hidden': 'true' },
          mark,
        ),
      );
    const description = `${node.label}, ${node.stateType} state: ${STATUS_TEXT[status]}`;
    g.append(svg('title', {}, description));
    g.setAttribute('tabindex', '0');
    g.setAttribute('aria-label', description);
    g.dataset.state = node.stateName!;
    g.dataset.status = status;
    if (onSelect) {
      g.setAttribute('role', 'button');
      g.setAttribute('aria-pressed', 'false');
      g.addEventListener('click', () => onSelect(node.stateName!));
      g.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onSelect(node.stateName!);
        }
      });
    } else {
      g.setAttribute('role', 'img');
    }
  } else {
    g.append(
      svg(
        'text',
        { class: 'node-label', x: node.width / 2, y: node.height / 2 + 4, 'text-anchor': 'middle' },
        node.label,
      ),
    );
  }
  return g;
}

function legend(): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'graph-legend';
  list.setAttribute('aria-label', 'Colour key');
  for (const status of ['succeeded', 'failed', 'caught', 'running', 'aborted', 'notReached'] as const) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch status-${status}`;
    swatch.setAttribute('aria-hidden', 'true');
    item.append(swatch, `${MARK[status] ? `${MARK[status]} ` : ''}${STATUS_TEXT[status]}`);
    list.append(item);
  }
  return list;
}

/** The workflow as a <figure>: the SVG graph, its colour key, and the states as a list (text alternative). */
export function renderWorkflowGraph(
  definition: unknown,
  progress: ExecutionProgress | undefined,
  options: WorkflowGraphOptions,
): HTMLElement {
  const layout = layoutGraph(aslToGraph(definition));
  const figure = document.createElement('figure');
  figure.className = 'workflow-graph';
  const caption = document.createElement('figcaption');
  caption.textContent = options.caption;
  const scroller = document.createElement('div');
  scroller.className = 'graph-scroll';
  scroller.tabIndex = 0; // lets keyboard users scroll a graph wider than a phone
  scroller.setAttribute('role', 'group');
  scroller.setAttribute('aria-label', options.caption);
  const root = svg('svg', {
    width: layout.width,
    height: layout.height,
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    class: 'graph',
  });
  const defs = svg('defs', {});
  const marker = svg('marker', {
    id: 'wf-arrow',
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }));
  defs.append(marker);
  root.append(defs);
  for (const group of layout.groups) {
    const status = progress?.states.get(group.stateName) ?? 'notReached';
    const g = svg('g', { class: `group status-${status}` });
    g.append(
      svg('rect', {
        x: group.x - group.width / 2,
        y: group.y - group.height / 2,
        width: group.width,
        height: group.height,
        rx: 8,
      }),
    );
    g.append(
      svg(
        'text',
        { class: 'group-label', x: group.x - group.width / 2 + 8, y: group.y - group.height / 2 + 14 },
        `${group.stateType}: ${group.stateName}`,
      ),
    );
    root.append(g);
  }
  for (const edge of layout.edges) root.append(drawEdge(edge));
  // Selecting a state again clears the selection, as the pages' filters do.
  const select =
    options.onSelectState &&
    ((stateName: string) => {
      for (const g of Array.from(root.querySelectorAll<SVGGElement>('g.node[data-state]'))) {
        const chosen = g.dataset.state === stateName && !g.classList.contains('selected');
        g.classList.toggle('selected', chosen);
        g.setAttribute('aria-pressed', String(chosen));
      }
      options.onSelectState!(stateName);
    });
  for (const node of layout.nodes) {
    const g = drawNode(node, nodeStatus(node, progress), select);
    if (select && node.kind === 'state' && node.stateName === options.selectedState) {
      g.classList.add('selected');
      g.setAttribute('aria-pressed', 'true');
    }
    root.append(g);
  }
  scroller.append(root);

  const states = document.createElement('details');
  states.className = 'graph-states';
  const summary = document.createElement('summary');
  summary.textContent = 'States as a list';
  const list = document.createElement('ul');
  for (const node of layout.nodes) {
    if (node.kind !== 'state') continue;
    const item = document.createElement('li');
    item.textContent = `${node.label} (${node.stateType}): ${STATUS_TEXT[nodeStatus(node, progress)]}`;
    list.append(item);
  }
  states.append(summary, list);
  figure.append(caption, scroller, legend(), states);
  return figure;
}
