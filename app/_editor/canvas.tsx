/**
 * The React Flow canvas: nodes from the store, typed connection checks with a visible reason when refused,
 * drop target for the palette, Delete/Backspace removal, minimap and controls.
 */
'use client';
import {
  Background,
  type Connection,
  Controls,
  type Edge,
  type FinalConnectionState,
  MiniMap,
  type NodeTypes,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, useCallback, useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { portTypes } from '../../graph-nodes/core/port-types';
import { getDefinition } from '../../graph-nodes/registry';
import { checkConnection } from './connect-rules';
import { executor } from './executor-client';
import { droppedFiles } from './folder-picker';
import { GraphNode } from './graph-node';
import { PALETTE_MIME } from './palette';
import { useEditor } from './store';

// Built once: React Flow re-mounts every node when this object changes identity (xyflow error002).
const nodeTypes: NodeTypes = { graph: GraphNode };
const deleteKeys = ['Delete', 'Backspace'];
const fitOptions = { padding: 0.15, maxZoom: 1 };
const minimapStyle = { width: 150, height: 96 };

export function Canvas() {
  const { nodes, edges, onNodesChange, onEdgesChange, connect, addNode, setNotice } = useEditor(
    useShallow((s) => ({
      nodes: s.nodes,
      edges: s.edges,
      onNodesChange: s.onNodesChange,
      onEdgesChange: s.onEdgesChange,
      connect: s.connect,
      addNode: s.addNode,
      setNotice: s.setNotice,
    })),
  );
  const { screenToFlowPosition, fitView, setViewport } = useReactFlow();
  const docRevision = useEditor((s) => s.docRevision);

  // A newly opened document: wait a frame so React Flow has measured the nodes, then fit them.
  useEffect(() => {
    if (docRevision <= 1) return; // the first document is fitted by the fitView prop
    const raf = requestAnimationFrame(() => {
      // An empty document would be "fitted" at maximum zoom: reset to 100 % instead.
      if (useEditor.getState().nodes.length === 0) void setViewport({ x: 0, y: 0, zoom: 1 });
      else void fitView({ padding: 0.15, maxZoom: 1 });
    });
    return () => cancelAnimationFrame(raf);
  }, [docRevision, fitView, setViewport]);

  const isValidConnection = useCallback((c: Edge | Connection) => {
    const s = useEditor.getState();
    const conn = { source: c.source, target: c.target, sourceHandle: c.sourceHandle ?? null, targetHandle: c.targetHandle ?? null };
    return checkConnection(s.nodes, s.edges, conn).ok;
  }, []);

  // A drag that ended on a handle that isValidConnection refused: say why.
  const onConnectEnd = useCallback(
    (_: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
      const from = state.fromHandle.type === 'source' ? state.fromHandle : state.toHandle;
      const to = state.fromHandle.type === 'source' ? state.toHandle : state.fromHandle;
      if (from.type === to.type) {
        setNotice({ kind: 'warn', text: `Cannot connect two ${from.type === 'source' ? 'outputs' : 'inputs'}: drag from an output to an input` });
        return;
      }
      const s = useEditor.getState();
      const check = checkConnection(s.nodes, s.edges, {
        source: from.nodeId,
        sourceHandle: from.id ?? null,
        target: to.nodeId,
        targetHandle: to.id ?? null,
      });
      if (!check.ok) setNotice({ kind: 'warn', text: check.reason });
    },
    [setNotice],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME) && !e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      if (e.dataTransfer.types.includes('Files')) {
        e.preventDefault();
        const target = (e.target as HTMLElement).closest('[data-testid^="node-"]')?.getAttribute('data-testid')?.slice(5);
        void dropImages(e.dataTransfer, target ?? null, screenToFlowPosition({ x: e.clientX - 20, y: e.clientY - 20 }));
        return;
      }
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (!type || !getDefinition(type)) return;
      e.preventDefault();
      addNode(type, screenToFlowPosition({ x: e.clientX - 20, y: e.clientY - 20 }));
    },
    [addNode, screenToFlowPosition],
  );

  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={connect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        deleteKeyCode={deleteKeys}
        fitView
        fitViewOptions={fitOptions}
        minZoom={0.2}
        maxZoom={2}
      >
        <Background gap={20} color="#e2e8f0" />
        {nodes.length === 0 ? (
          <div className="canvas-empty" data-testid="canvas-empty">
            <h2>Start a detector</h2>
            <ul>
              <li>Drag a node from the palette on the left (start with an <b>Image set</b>), or click it to add it.</li>
              <li>Drop a folder of images here: one subfolder per class, e.g. NORMAL and PNEUMONIA.</li>
              <li>Or open a ready-made pipeline from <b>Templates…</b> — the lecture&apos;s AutoEncoder, Deep SVDD, Deep SAD, PaDiM.</li>
            </ul>
            <p className="muted">Press ? for keyboard shortcuts. Images never leave this computer.</p>
          </div>
        ) : null}
        <MiniMap pannable zoomable nodeColor={minimapColor} ariaLabel="Minimap" style={minimapStyle} />
        <Controls />
      </ReactFlow>
    </div>
  );
}

function minimapColor(n: { data: unknown }): string {
  const type = (n.data as { type?: string }).type ?? '';
  const def = getDefinition(type);
  const first = def ? Object.values(def.outputs)[0] : undefined;
  return first ? portTypes[first.type].color : '#94a3b8';
}

/**
 * A folder (or files) dropped on the canvas: the files go to the worker, and an image-set node reads them —
 * the image-set node it was dropped on, or a new one at the drop point. Images stay in the browser.
 */
async function dropImages(dt: DataTransfer, onNode: string | null, at: { x: number; y: number }) {
  const s = useEditor.getState();
  const files = await droppedFiles(dt);
  if (files.length === 0) {
    s.setNotice({ kind: 'warn', text: 'Nothing to read in what was dropped: drop a folder of images (one subfolder per class) or image files.' });
    return;
  }
  try {
    const { roots } = await executor().addFiles(files);
    const root = roots[0] ?? '';
    const target = onNode ? s.nodes.find((n) => n.id === onNode && n.data.type === 'image-set') : undefined;
    const id = target?.id ?? s.addNode('image-set', at);
    const node = useEditor.getState().nodes.find((n) => n.id === id)!;
    useEditor.getState().setParams(id, { ...node.data.params, source: 'folder', path: root });
    useEditor.getState().setNotice({
      kind: 'info',
      text: `${files.length} files from "${root}" are available to ${id}${roots.length > 1 ? ` (other folders: ${roots.slice(1).join(', ')})` : ''}. Images stay on this computer.`,
    });
  } catch (err) {
    useEditor.getState().setNotice({ kind: 'error', text: `Could not read the dropped files: ${err instanceof Error ? err.message : String(err)}` });
  }
}
