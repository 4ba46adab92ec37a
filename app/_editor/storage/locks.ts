/** The param form's view of template locks on the open pipeline. */
import { type LockMode, lockOf } from '../../../graph-nodes/core/param-locks';
import { useStorage } from './sync';

/** For one node: a function from param name to its lock mode (undefined = editable). */
export function useParamLock(nodeId: string): (param: string) => LockMode | undefined {
  const locks = useStorage((s) => s.locks);
  return (param) => lockOf(locks, nodeId, param);
}
