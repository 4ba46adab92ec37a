/**
 * Catalogue of user-facing errors: code → message + fix hint. Kernels and the engine throw `KizukiError`;
 * across the worker boundary only the plain `ErrorInfo` travels (comlink keeps just name/message/stack of Errors).
 */

export type ErrorInfo = {
  code: ErrorCode;
  message: string;
  hint: string;
  nodeId?: string;
  field?: string;
  /** The message's variables (plain values only), so the editor can re-word it in another language. */
  detail?: Record<string, string | number | boolean>;
};

type Detail = Record<string, unknown>;

/** The plain-valued part of a detail record: what survives structured cloning and a translation. */
function plainDetail(d: Detail): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(d)) {
    if (k !== 'hint' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[k] = v;
  }
  return out;
}

export const errorCatalogue = {
  INVALID_PIPELINE: {
    message: (d: Detail) => `The pipeline file is not valid: ${d.reason}`,
    hint: 'Fix the listed fields, or start again from a built-in template.',
  },
  UNKNOWN_NODE_TYPE: {
    message: (d: Detail) => `Node "${d.nodeId}" has unknown type "${d.type}".`,
    hint: 'Remove the node, or update Kizuki to a version that knows this node type.',
  },
  NEWER_NODE_VERSION: {
    message: (d: Detail) => `Node "${d.nodeId}" (${d.type}) was saved by a newer Kizuki (v${d.version}, this one knows v${d.known}).`,
    hint: 'Update Kizuki to open this pipeline.',
  },
  INVALID_PARAM: {
    message: (d: Detail) => `Node "${d.nodeId}": parameter "${d.field}" ${d.reason}.`,
    hint: 'Correct the value in the parameter panel (or the --set option).',
  },
  MISSING_INPUT: {
    message: (d: Detail) => `Node "${d.nodeId}": input "${d.port}" is not connected.`,
    hint: 'Connect an output of the right type to this input.',
  },
  BAD_EDGE: {
    message: (d: Detail) => `Connection ${d.edgeId}: ${d.reason}`,
    hint: 'Delete the connection and wire compatible ports.',
  },
  TYPE_MISMATCH: {
    message: (d: Detail) => `Cannot connect ${d.from} output to ${d.to} input.`,
    hint: 'Connect outputs only to inputs of the same type (same colour).',
  },
  CYCLE: {
    message: (d: Detail) => `The connections form a cycle through: ${d.nodes}.`,
    hint: 'Data must flow one way: remove one connection of the loop.',
  },
  DUPLICATE_ID: {
    message: (d: Detail) => `Two nodes share the id "${d.nodeId}".`,
    hint: 'Give every node a unique id.',
  },
  NO_IMAGES: {
    message: (d: Detail) => `Node "${d.nodeId}": no image could be loaded from ${d.source} (${d.skipped} skipped).`,
    hint: 'Check the path, the split/include filters and the file formats (PNG, JPEG or DICOM).',
  },
  FILE_NOT_FOUND: {
    message: (d: Detail) => `Node "${d.nodeId}": ${d.path} does not exist.`,
    hint: 'Check the path (relative paths are resolved from the current folder), or pick the folder again.',
  },
  SINGLE_CLASS: {
    message: (d: Detail) => `Node "${d.nodeId}": the scores contain only ${d.cls} images; ROC needs both normal and anomalous images.`,
    hint: 'Evaluate on a test set that contains normal and anomalous images (image set: include = all).',
  },
  UNLABELLED: {
    message: (d: Detail) => `Node "${d.nodeId}": ${d.count} scored images have no label.`,
    hint: 'Use labelled test data (class folders or a CSV with a label column).',
  },
  NAN_LOSS: {
    message: (d: Detail) => `Node "${d.nodeId}": training diverged at epoch ${d.epoch} (loss became ${d.loss}; last finite loss ${d.lastFiniteLoss}).`,
    hint: 'Lower the learning rate, or normalise the input images.',
  },
  NON_FINITE_SCORES: {
    message: (d: Detail) => `Node "${d.nodeId}": ${d.count} scores are NaN or infinite.`,
    hint: 'Check the upstream model; lower its learning rate and re-run.',
  },
  SHAPE_MISMATCH: {
    message: (d: Detail) => `Node "${d.nodeId}": ${d.what}.`,
    hint: 'Make the connected image sets use the same size and channel count.',
  },
  COLLAPSED: {
    message: (d: Detail) => `Node "${d.nodeId}": the hypersphere collapsed (${d.reason}); the scores would not separate anything.`,
    hint: 'Keep the network bias-free, lower the learning rate or the epochs, raise nu (soft-boundary), or initialise from a pretrained AutoEncoder encoder.',
  },
  MODEL_LOAD_FAILED: {
    message: (d: Detail) => `Node "${d.nodeId}": could not load a model from ${d.path}: ${d.reason}`,
    hint: 'Provide a TF.js model folder (model.json + weight shards) or a reachable URL.',
  },
  CANCELLED: {
    message: () => 'The run was stopped.',
    hint: 'Press Run to start again; finished nodes are cached.',
  },
  KERNEL_FAILED: {
    message: (d: Detail) => `Node "${d.nodeId}" failed: ${d.reason}`,
    hint: 'Check the node parameters and its inputs; see the message for details.',
  },
  UNSUPPORTED_DETECTOR: {
    message: (d: Detail) => `Cannot make a detector from node "${d.nodeId}": ${d.reason}.`,
    hint: 'Detectors support residual-max and latent-distance scorers on an AutoEncoder; run the pipeline first.',
  },
  BAD_ARGUMENT: {
    message: (d: Detail) => `${d.reason}`,
    hint: 'Run `kizuki --help` for usage.',
  },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export class KizukiError extends Error {
  readonly info: ErrorInfo;
  constructor(code: ErrorCode, detail: Detail = {}) {
    const entry = errorCatalogue[code];
    const message = entry.message(detail);
    super(message);
    this.name = 'KizukiError';
    this.info = {
      code,
      message,
      hint: typeof detail.hint === 'string' ? detail.hint : entry.hint,
      ...(typeof detail.nodeId === 'string' ? { nodeId: detail.nodeId } : {}),
      ...(typeof detail.field === 'string' ? { field: detail.field } : {}),
      detail: plainDetail(detail),
    };
  }
}

export function errorInfo(code: ErrorCode, detail: Detail = {}): ErrorInfo {
  return new KizukiError(code, detail).info;
}

/** Turn anything thrown into plain ErrorInfo attributed to a node. */
export function toErrorInfo(err: unknown, nodeId?: string): ErrorInfo {
  if (err instanceof KizukiError) return { ...err.info, ...(nodeId && !err.info.nodeId ? { nodeId } : {}) };
  if (err && typeof err === 'object' && 'name' in err && (err as Error).name === 'AbortError') {
    return errorInfo('CANCELLED', { nodeId });
  }
  const reason = err instanceof Error ? err.message : String(err);
  return errorInfo('KERNEL_FAILED', { nodeId: nodeId ?? '?', reason });
}
