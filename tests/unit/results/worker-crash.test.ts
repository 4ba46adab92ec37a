/**
 * A worker that dies mid-run (e.g. out of GPU memory) must not hang the app or touch the document: the run ends
 * with a clear message, the pipeline is unchanged, and the next call starts a fresh worker.
 * Drives app/_editor/executor-client.ts with a fake Worker that speaks comlink's wire format.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PipelineDoc } from '../../../graph-nodes/core/pipeline-schema';
import { getTemplate } from '../../../graph-nodes/templates';

type Message = { id?: string; type?: string; path?: string[] };

class FakeWorker extends EventTarget {
  static instances: FakeWorker[] = [];
  posted: Message[] = [];
  terminated = false;
  dead = false;
  constructor() {
    super();
    FakeWorker.instances.push(this);
  }
  postMessage(msg: Message) {
    this.posted.push(msg);
    if (this.dead) return;
    const name = msg.path?.[0];
    const answers: Record<string, unknown> = {
      init: { name: 'cpu', reason: 'fake', tried: [] },
      memory: { numTensors: 0, numBytes: 0, cacheEntries: 0, cacheBytes: 0 },
    };
    // Everything but `run` answers at once; `run` never does (the worker is busy until it dies).
    if (msg.type === 'APPLY' && name && name in answers) {
      queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: { id: msg.id, type: 'RAW', value: answers[name] } })));
    }
  }
  terminate() {
    this.terminated = true;
  }
  crash(message: string) {
    this.dead = true;
    const ev = new Event('error', { cancelable: true });
    Object.defineProperty(ev, 'message', { value: message });
    this.dispatchEvent(ev);
  }
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('worker crash', () => {
  beforeAll(() => {
    vi.stubGlobal('Worker', FakeWorker);
    vi.stubGlobal('window', { location: { search: '' } });
  });
  afterAll(() => vi.unstubAllGlobals());

  it('ends the run with a clear message, keeps the document, and respawns the worker on next use', async () => {
    const { useEditor } = await import('../../../app/_editor/store');
    const { startRun } = await import('../../../app/_editor/run-panel');
    const { executor } = await import('../../../app/_editor/executor-client');
    const doc = getTemplate('lecture-ae-residual')!.doc as PipelineDoc;
    useEditor.getState().loadDoc(doc);
    const before = useEditor.getState().toDoc();

    await executor().init('cpu');
    const running = startRun();
    const first = FakeWorker.instances[0]!;
    await until(() => first.posted.some((m) => m.path?.[0] === 'run'));
    expect(useEditor.getState().phase).toBe('starting');
    first.crash('Out of memory');
    await running;

    const s = useEditor.getState();
    expect(s.phase).toBe('failed');
    expect(s.notice?.text).toMatch(/The run failed: The worker crashed \(Out of memory\)\. Your pipeline is unchanged/);
    expect(s.toDoc()).toEqual(before);
    expect(first.terminated).toBe(true);

    // The next call does not wait on the dead worker: a fresh one starts and answers.
    await expect(executor().memory()).resolves.toMatchObject({ numTensors: 0 });
    expect(FakeWorker.instances).toHaveLength(2);
    expect(FakeWorker.instances[1]!.posted[0]?.path).toEqual(['init']);
  });
});
