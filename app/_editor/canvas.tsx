/**
 * The React Flow canvas: nodes from the store, typed connection checks with a visible reason when refused,
 * drop target for the palette and for image files/folders (onto an image-set node, or a new one where they land),
 * Delete/Backspace removal, minimap and controls.
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
import { filesFromDrop } from './folder-picker';
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
        void dropImages(e, screenToFlowPosition({ x: e.clientX - 20, y: e.clientY - 20 }));
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
        <MiniMap pannable zoomable nodeColor={minimapColor} ariaLabel="Minimap" style={minimapStyle} />
        <Controls />
      </ReactFlow>
    </div>
  );
}

/**
 * Files or folders dropped on the canvas: onto an image-set node they become its folder; elsewhere a new image-set
 * node is made where they land. Loose files are grouped under "dropped". Files stay in the browser (worker memory).
 */
async function dropImages(e: DragEvent, at: { x: number; y: number }) {
  const { nodes, addNode, setParams, setNotice } = useEditor.getState();
  const onNode = (e.target as HTMLElement).closest('.react-flow__node')?.getAttribute('data-id');
  const target = nodes.find((n) => n.id === onNode && n.data.type === 'image-set');
  const files = (await filesFromDrop(e.dataTransfer, 'dropped')).filter((f) => !f.path.split('/').some((part) => part.startsWith('.')));
  if (files.length === 0) {
    setNotice({ kind: 'warn', text: 'Nothing to load in that drop: drop image files or a folder of class folders.' });
    return;
  }
  try {
    const { roots } = await executor().addFiles(files);
    const root = roots[0]!;
    const id = target?.id ?? addNode('image-set', at);
    const params = useEditor.getState().nodes.find((n) => n.id === id)?.data.params ?? {};
    setParams(id, { ...params, source: 'folder', path: root });
    const others = roots.length > 1 ? ` (also dropped: ${roots.slice(1).join(', ')}; pick one in the node's folder list)` : '';
    setNotice({ kind: 'info', text: `${files.length} file${files.length === 1 ? '' : 's'} from "${root}" set as the folder of ${id}${others}.` });
  } catch (err) {
    setNotice({ kind: 'warn', text: `Couldn't read the dropped files: ${err instanceof Error ? err.message : String(err)}` });
  }
}

function minimapColor(n: { data: unknown }): string {
  const type = (n.data as { type?: string }).type ?? '';
  const def = getDefinition(type);
  const first = def ? Object.values(def.outputs)[0] : undefined;
  return first ? portTypes[first.type].color : '#94a3b8';
}
