/** The argument reading `kizuki run` and `kizuki score` share. */
import { KizukiError } from '../graph-nodes/core/errors';

/** Calls `visit` for each argument in turn; `value()` takes the next argument as the value of this flag. */
export function eachArg(args: string[], visit: (arg: string, value: () => string) => void): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    visit(a, () => {
      const v = args[++i];
      if (v === undefined) throw new KizukiError('BAD_ARGUMENT', { reason: `${a} needs a value` });
      return v;
    });
  }
}

/** Node has the wasm and cpu TF.js backends only. */
export function checkNodeBackend(backend: string | undefined): void {
  if (backend && !['wasm', 'cpu'].includes(backend)) {
    throw new KizukiError('BAD_ARGUMENT', { reason: `--backend must be wasm or cpu (got ${backend})` });
  }
}
