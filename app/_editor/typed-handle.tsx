/** One labelled port row with a React Flow handle coloured by its port type. */
import { Handle, Position } from '@xyflow/react';
import type { PortSpec } from '../../graph-nodes/core/define-node';
import { portTypes } from '../../graph-nodes/core/port-types';

type Props = { nodeId: string; name: string; spec: PortSpec; side: 'input' | 'output'; connected: boolean };

export function TypedHandle({ nodeId, name, spec, side, connected }: Props) {
  const pt = portTypes[spec.type];
  const missing = side === 'input' && !spec.optional && !connected;
  return (
    <div className={`port port--${side}`} title={`${pt.label}: ${pt.meaning}`}>
      <Handle
        type={side === 'input' ? 'target' : 'source'}
        position={side === 'input' ? Position.Left : Position.Right}
        id={name}
        className="port-handle"
        style={{ background: pt.color, borderColor: connected ? pt.color : '#fff' }}
        data-testid={`handle-${nodeId}-${name}`}
        data-port-type={spec.type}
        aria-label={`${side === 'input' ? 'Input' : 'Output'} ${spec.label} (${pt.label})`}
      />
      <span className={missing ? 'port-label port-label--missing' : 'port-label'}>
        {spec.label}
        {spec.optional ? <span className="port-optional"> (optional)</span> : null}
      </span>
    </div>
  );
}
