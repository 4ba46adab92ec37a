/**
 * The editor's single zustand store. Two halves, kept apart on purpose:
 * - the document (meta, nodes, edges with params and positions): what gets saved, exported and run;
 * - the run state (per-node status, progress, previews, errors; backend; memory): never saved.
 * Components subscribe through narrow selectors (useShallow where they pick several fields).
 */
import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type XYPosition,
} from '@xyflow/react';
import { create } from 'zustand';
import { defaultParams } from '../../graph-nodes/core/define-node';
import type { ErrorInfo } from '../../graph-nodes/core/errors';
import type { ProgressInfo } from '../../graph-nodes/core/kernel-types';
import type { PipelineDoc } from '../../graph-nodes/core/pipeline-schema';
import type { NodePreview } from '../../graph-nodes/core/preview';
import { getDefinition } from '../../graph-nodes/registry';
import type { BackendInfo, NodeStatus, RunEvent, RunStatus } from '../../workers/engine/events';
import { checkConnection } from './connect-rules';
import { type AppEdge, type AppNode, type DocMeta, edgeId, fromPipelineDoc, makeEdge, toPipelineDoc } from './doc';

export type NodeRun = {
  status: NodeStatus;
  progress?: ProgressInfo;
  preview?: NodePreview;
  error?: ErrorInfo;
  blockedBy?: string;
  warnings: string[];
  seconds?: number;
  /** Date.now() when the node started running, for the time-left estimate. */
  startedAt?: number;
};

export type RunPhase = 'idle' | 'starting' | 'running' | 'stopping' | RunStatus;
export type Notice = { kind: 'info' | 'warn' | 'error'; text: string; details?: string[] };
export type MemoryInfo = { numTensors: number; numBytes: number; cacheEntries: number; cacheBytes: number };

type DocumentSlice = {
  meta: DocMeta;
  nodes: AppNode[];
  edges: AppEdge[];
};

type RunSlice = {
  phase: RunPhase;
  runId: number | null;
  runSeconds: number | null;
  runIssues: ErrorInfo[];
  nodeRun: Record<string, NodeRun>;
  backend: BackendInfo | null;
  memory: MemoryInfo | null;
};

type UiSlice = {
  /** Bumped whenever a whole document is loaded, so the canvas can fit it into view. */
  docRevision: number;
  /** Last user-facing message: refused connections, load warnings, worker restarts. */
  notice: Notice | null;
};

type Actions = {
  onNodesChange(changes: NodeChange<AppNode>[]): void;
  onEdgesChange(changes: EdgeChange<AppEdge>[]): void;
  /** Adds an edge; an input takes one edge, so an existing edge into the same input is replaced. */
  connect(c: Connection): void;
  /** Removes the edge into one input, if any (the keyboard way of deleting a connection). */
  disconnect(target: string, targetPort: string): void;
  addNode(type: string, position: XYPosition): string;
  setParams(nodeId: string, params: Record<string, unknown>): void;
  setLabel(nodeId: string, label: string): void;
  /** Switch nodes off (kept, not run) or back on. */
  setDisabled(nodeIds: string[], disabled: boolean): void;
  /** Copies the selected nodes and the connections between them to the editor clipboard; returns how many. */
  copySelection(): number;
  /** Pastes the clipboard as new nodes (fresh ids, offset), selected; returns the new ids. */
  paste(): string[];
  /** Copy + paste in one step. */
  duplicateSelection(): string[];
  /** Moves nodes to new positions (auto-layout). */
  moveNodes(positions: Record<string, XYPosition>): void;
  setMeta(meta: Partial<DocMeta>): void;
  loadDoc(doc: PipelineDoc): string[];
  /** Puts back an earlier state of the same document (undo/redo): keeps selection, run state and the view. */
  restoreDoc(doc: PipelineDoc): void;
  toDoc(): PipelineDoc;
  setNotice(notice: Notice | null): void;
  beginRun(): void;
  applyEvent(e: RunEvent): void;
  /** Ends a run that the worker did not finish itself (stopped, crashed, restarted). */
  abortRun(phase: RunPhase, message?: string): void;
  setBackend(b: BackendInfo | null): void;
  setMemory(m: MemoryInfo | null): void;
};

export type EditorState = DocumentSlice & RunSlice & UiSlice & Actions;

const emptyRun = (): Pick<RunSlice, 'phase' | 'runId' | 'runSeconds' | 'runIssues' | 'nodeRun'> => ({
  phase: 'idle',
  runId: null,
  runSeconds: null,
  runIssues: [],
  nodeRun: {},
});

/**
 * Told before a discrete edit (add, paste, connect, disable, tidy-up) so undo makes it a step of its own even when it
 * quickly follows another edit; continuous edits (drags, typing, a deletion's node+edge changes) still coalesce.
 */
let editStepListener: (() => void) | null = null;
export function onEditStep(listener: (() => void) | null): void {
  editStepListener = listener;
}
const newEditStep = () => editStepListener?.();

/** What Copy put aside for Paste (in memory, this tab): nodes with their data, and the edges among them. */
let clipboard: { nodes: { id: string; position: XYPosition; data: AppNode['data'] }[]; edges: AppEdge[]; pastes: number } | null = null;

/** Smallest free id of the form `${type}-${n}`. */
function freshId(nodes: readonly AppNode[], type: string): string {
  const taken = new Set(nodes.map((n) => n.id));
  let n = 1;
  while (taken.has(`${type}-${n}`)) n++;
  return `${type}-${n}`;
}

function patchNodeRun(s: EditorState, nodeId: string, patch: Partial<NodeRun>): Pick<RunSlice, 'nodeRun'> {
  const prev = s.nodeRun[nodeId] ?? { status: 'idle', warnings: [] };
  return { nodeRun: { ...s.nodeRun, [nodeId]: { ...prev, ...patch } } };
}

export const useEditor = create<EditorState>()((set, get) => ({
  meta: { name: 'Untitled pipeline' },
  nodes: [],
  edges: [],
  ...emptyRun(),
  backend: null,
  memory: null,
  notice: null,
  docRevision: 0,

  onNodesChange: (changes) => set((s) => ({ nodes: applyNodeChanges(changes, s.nodes) })),
  onEdgesChange: (changes) => set((s) => ({ edges: applyEdgeChanges(changes, s.edges) })),

  connect: (c) => {
    const s = get();
    const check = checkConnection(s.nodes, s.edges, c);
    if (!check.ok) {
      set({ notice: { kind: 'warn', text: check.reason } });
      return;
    }
    newEditStep();
    const sourcePort = c.sourceHandle ?? '';
    const targetPort = c.targetHandle ?? '';
    const fromType = getDefinition(s.nodes.find((n) => n.id === c.source)?.data.type ?? '')?.outputs[sourcePort]?.type;
    const kept = s.edges.filter((e) => !(e.target === c.target && e.targetHandle === c.targetHandle));
    const edge = makeEdge(edgeId(c.source, sourcePort, c.target, targetPort), c.source, sourcePort, c.target, targetPort, fromType);
    set({ edges: addEdge(edge, kept), notice: null });
  },

  disconnect: (target, targetPort) => {
    const edges = get().edges;
    const kept = edges.filter((e) => !(e.target === target && e.targetHandle === targetPort));
    if (kept.length === edges.length) return;
    newEditStep();
    set({ edges: kept, notice: null });
  },

  addNode: (type, position) => {
    const def = getDefinition(type);
    if (!def) throw new Error(`unknown node type ${type}`);
    newEditStep();
    const id = freshId(get().nodes, type);
    const node: AppNode = {
      id,
      type: 'graph',
      position,
      selected: true,
      data: { type, typeVersion: def.version, params: defaultParams(def) },
    };
    set((s) => ({ nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node] }));
    return id;
  },

  setParams: (nodeId, params) =>
    set((s) => ({ nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, params } } : n)) })),

  setLabel: (nodeId, label) =>
    set((s) => ({
      nodes: s.nodes.map((n) => {
        if (n.id !== nodeId) return n;
        const { label: _old, ...rest } = n.data;
        return { ...n, data: label.trim() ? { ...rest, label } : rest };
      }),
    })),

  setDisabled: (nodeIds, disabled) => {
    newEditStep();
    set((s) => ({
      nodes: s.nodes.map((n) => {
        if (!nodeIds.includes(n.id)) return n;
        const { disabled: _old, ...rest } = n.data;
        return { ...n, data: disabled ? { ...rest, disabled: true } : rest };
      }),
    }));
  },

  copySelection: () => {
    const s = get();
    const nodes = s.nodes.filter((n) => n.selected);
    const ids = new Set(nodes.map((n) => n.id));
    clipboard = {
      nodes: nodes.map((n) => ({ id: n.id, position: n.position, data: structuredClone(n.data) })),
      edges: s.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e })),
      pastes: 0,
    };
    return nodes.length;
  },

  paste: () => {
    if (!clipboard || clipboard.nodes.length === 0) return [];
    newEditStep();
    const clip = clipboard;
    clip.pastes++;
    const offset = 40 * clip.pastes;
    const s = get();
    const taken = [...s.nodes];
    const idMap = new Map<string, string>();
    const added: AppNode[] = clip.nodes.map((c) => {
      const id = freshId(taken, c.data.type);
      idMap.set(c.id, id);
      const node: AppNode = {
        id,
        type: 'graph',
        position: { x: c.position.x + offset, y: c.position.y + offset },
        selected: true,
        data: structuredClone(c.data),
      };
      taken.push(node);
      return node;
    });
    const newEdges = clip.edges.map((e) => {
      const source = idMap.get(e.source)!;
      const target = idMap.get(e.target)!;
      const sourcePort = e.sourceHandle ?? '';
      const targetPort = e.targetHandle ?? '';
      const fromType = getDefinition(clip.nodes.find((n) => n.id === e.source)?.data.type ?? '')?.outputs[sourcePort]?.type;
      return makeEdge(edgeId(source, sourcePort, target, targetPort), source, sourcePort, target, targetPort, fromType);
    });
    set((st) => ({
      nodes: [...st.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...added],
      edges: [...st.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...newEdges],
    }));
    return added.map((n) => n.id);
  },

  duplicateSelection: () => {
    const saved = clipboard;
    const copied = get().copySelection();
    const ids = copied > 0 ? get().paste() : [];
    clipboard = saved ?? clipboard; // duplicating does not replace what the user copied
    return ids;
  },

  moveNodes: (positions) => {
    newEditStep();
    set((s) => ({ nodes: s.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id]! } : n)) }));
  },

  setMeta: (meta) => set((s) => ({ meta: { ...s.meta, ...meta } })),

  loadDoc: (doc) => {
    const g = fromPipelineDoc(doc);
    set((s) => ({ meta: g.meta, nodes: g.nodes, edges: g.edges, ...emptyRun(), docRevision: s.docRevision + 1 }));
    return g.warnings;
  },

  restoreDoc: (doc) => {
    const g = fromPipelineDoc(doc);
    set((s) => {
      const selected = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
      return {
        meta: g.meta,
        nodes: g.nodes.map((n) => (selected.has(n.id) ? { ...n, selected: true } : n)),
        edges: g.edges,
      };
    });
  },

  toDoc: () => {
    const s = get();
    return toPipelineDoc(s.meta, s.nodes, s.edges);
  },

  setNotice: (notice) => set({ notice }),

  beginRun: () =>
    set((s) => ({
      ...emptyRun(),
      phase: 'starting',
      nodeRun: Object.fromEntries(s.nodes.map((n) => [n.id, { status: 'idle' as const, warnings: [] }])),
    })),

  applyEvent: (e) => {
    const s = get();
    if (e.type === 'run-started') {
      set({ phase: 'running', runId: e.runId });
      return;
    }
    if (s.runId !== null && e.runId !== s.runId) return; // a stale event from an earlier run
    switch (e.type) {
      case 'node-queued':
        set(patchNodeRun(s, e.nodeId, { status: 'queued', error: undefined, blockedBy: undefined }));
        break;
      case 'node-started':
        set(patchNodeRun(s, e.nodeId, { status: 'running', progress: { fraction: 0 }, startedAt: Date.now() }));
        break;
      case 'node-progress':
        set(patchNodeRun(s, e.nodeId, { progress: e.progress }));
        break;
      case 'node-preview':
        set(patchNodeRun(s, e.nodeId, { preview: e.preview }));
        break;
      case 'node-warning':
        set(patchNodeRun(s, e.nodeId, { warnings: [...(s.nodeRun[e.nodeId]?.warnings ?? []), e.message] }));
        break;
      case 'node-finished':
        set(
          patchNodeRun(s, e.nodeId, {
            status: e.cached ? 'cached' : 'done',
            preview: e.preview,
            seconds: e.seconds,
            progress: undefined,
          }),
        );
        break;
      case 'node-failed':
        set(patchNodeRun(s, e.nodeId, { status: 'failed', error: e.error, progress: undefined }));
        break;
      case 'node-skipped':
        set(patchNodeRun(s, e.nodeId, { status: 'skipped', blockedBy: e.blockedBy }));
        break;
      case 'run-finished': {
        // Nodes still marked running/queued were interrupted (cancel): show them idle again.
        const nodeRun = Object.fromEntries(
          Object.entries(s.nodeRun).map(([id, r]) => [
            id,
            r.status === 'running' || r.status === 'queued' ? { ...r, status: 'idle' as const, progress: undefined } : r,
          ]),
        );
        // Planning problems (missing input, bad param…) are shown on the node they belong to.
        for (const issue of e.issues) {
          if (issue.nodeId && issue.nodeId in nodeRun) nodeRun[issue.nodeId] = { ...nodeRun[issue.nodeId]!, status: 'failed', error: issue };
        }
        set({ phase: e.status, runSeconds: e.seconds, runIssues: e.issues, nodeRun });
        break;
      }
    }
  },

  abortRun: (phase, message) =>
    set((s) => ({
      phase,
      nodeRun: Object.fromEntries(
        Object.entries(s.nodeRun).map(([id, r]) => [
          id,
          r.status === 'running' || r.status === 'queued' ? { ...r, status: 'idle' as const, progress: undefined } : r,
        ]),
      ),
      ...(message ? { notice: { kind: 'warn' as const, text: message } } : {}),
    })),

  setBackend: (backend) => set({ backend }),
  setMemory: (memory) => set({ memory }),
}));

/** The node whose params the side panel shows: the single selected node. */
export function selectSelectedNode(s: EditorState): AppNode | undefined {
  const selected = s.nodes.filter((n) => n.selected);
  return selected.length === 1 ? selected[0] : undefined;
}
