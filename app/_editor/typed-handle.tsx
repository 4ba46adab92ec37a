/** One labelled port row with a React Flow handle coloured by its port type; texts in the UI language. */
import { Handle, Position } from '@xyflow/react';
import type { AnyNodeDefinition, PortSpec } from '../../graph-nodes/core/define-node';
import { portTypes } from '../../graph-nodes/core/port-types';
import { portText, portTypeText } from '../../graph-nodes/i18n/node-text';
import { useLangValue, useT } from '../_i18n/translate';

type Props = { def: AnyNodeDefinition; nodeId: string; name: string; spec: PortSpec; side: 'input' | 'output'; connected: boolean };

export function TypedHandle({ def, nodeId, name, spec, side, connected }: Props) {
  const lang = useLangValue();
  const t = useT();
  const pt = portTypes[spec.type];
  const typeText = portTypeText(spec.type, lang);
  const text = portText(def, side, name, lang);
  const missing = side === 'input' && !spec.optional && !connected;
  const tooltip = [`${typeText.label}: ${typeText.meaning}`, text.description].filter(Boolean).join('\n');
  return (
    <div className={`port port--${side}`} title={tooltip}>
      <Handle
        type={side === 'input' ? 'target' : 'source'}
        position={side === 'input' ? Position.Left : Position.Right}
        id={name}
        className="port-handle"
        style={{ background: pt.color, borderColor: connected ? pt.color : '#fff' }}
        data-testid={`handle-${nodeId}-${name}`}
        data-port-type={spec.type}
        aria-label={t(side === 'input' ? 'port.input' : 'port.output', { label: text.label, type: typeText.label })}
      />
      <span className={missing ? 'port-label port-label--missing' : 'port-label'}>
        {text.label}
        {spec.optional ? <span className="port-optional"> {t('port.optional')}</span> : null}
      </span>
    </div>
  );
}
