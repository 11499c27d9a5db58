/**
 * Positions for a WorkflowGraph, computed by dagre (layered layout, top to bottom like the Step Functions
 * console). Pure: text widths are estimated from the label length, so the same layout is computed in
 * tests and in the browser.
 */
import dagre from '@dagrejs/dagre';
import type { GraphEdge, GraphGroup, GraphNode, WorkflowGraph } from './asl-graph';

export interface Box {
  x: number; // centre
  y: number; // centre
  width: number;
  height: number;
}

export interface PositionedNode extends GraphNode, Box {}
export interface PositionedGroup extends GraphGroup, Box {}
export interface PositionedEdge extends GraphEdge {
  points: { x: number; y: number }[];
  labelAt?: { x: number; y: number };
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PositionedNode[];
  edges: PositionedEdge[];
  groups: PositionedGroup[];
}

/** Average glyph width of the 13px UI font, generous so labels never overflow their box. */
const CHAR_WIDTH = 7.6;
const NODE_HEIGHT = 38;
const MARGIN = 16;

export function textWidth(text: string): number {
  return Math.ceil(text.length * CHAR_WIDTH);
}

function nodeSize(node: GraphNode): { width: number; height: number } {
  if (node.kind === 'start' || node.kind === 'end') return { width: 64, height: 30 };
  if (node.kind === 'groupEnd') return { width: 24, height: 24 };
  // the label plus room for the status mark and the state type line
  return { width: Math.max(140, textWidth(node.label) + 44), height: NODE_HEIGHT + 12 };
}

export function layoutGraph(graph: WorkflowGraph): GraphLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 36, edgesep: 14, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const group of graph.groups) g.setNode(group.id, { width: 0, height: 0, paddingTop: 12 });
  for (const node of graph.nodes) g.setNode(node.id, nodeSize(node));
  for (const group of graph.groups) if (group.parent) g.setParent(group.id, group.parent);
  for (const node of graph.nodes) if (node.parent) g.setParent(node.id, node.parent);
  graph.edges.forEach((edge, i) => {
    const label = edge.label ? { width: textWidth(edge.label) + 8, height: 16, labelpos: 'c' as const } : {};
    // Catch edges are long detours: a lower weight keeps the main path straight.
    g.setEdge(
      edge.from,
      edge.to,
      { ...label, weight: edge.kind === 'catch' ? 1 : 2, minlen: edge.label ? 2 : 1 },
      `e${i}`,
    );
  });
  dagre.layout(g);
  const box = (id: string): Box => {
    const n = g.node(id) as { x: number; y: number; width: number; height: number };
    return { x: n.x, y: n.y, width: n.width, height: n.height };
  };
  const edges = graph.edges.map((edge, i): PositionedEdge => {
    const e = g.edge({ v: edge.from, w: edge.to, name: `e${i}` }) as {
      points: { x: number; y: number }[];
      x?: number;
      y?: number;
    };
    return {
      ...edge,
      points: e.points,
      labelAt: edge.label && e.x !== undefined && e.y !== undefined ? { x: e.x, y: e.y } : undefined,
    };
  });
  const label = g.graph() as { width?: number; height?: number };
  return {
    width: Math.ceil(label.width ?? 0),
    height: Math.ceil(label.height ?? 0),
    nodes: graph.nodes.map((node) => ({ ...node, ...box(node.id) })),
    groups: graph.groups.map((group) => ({ ...group, ...box(group.id) })),
    edges,
  };
}
