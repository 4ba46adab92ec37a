import { describe, expect, it } from 'vitest';
import { UndoStack } from '../../app/_editor/undo-stack';

const stack = () => new UndoStack<string>((a, b) => a === b, 500, 3);

describe('UndoStack', () => {
  it('undoes and redoes single edits in order, and a new edit clears redo', () => {
    const s = stack();
    expect(s.canUndo).toBe(false);
    s.record('a', 'b', 0);
    s.record('b', 'c', 1000);
    expect(s.undo('c')).toBe('b');
    expect(s.undo('b')).toBe('a');
    expect(s.undo('a')).toBeNull();
    expect(s.redo('a')).toBe('b');
    expect(s.canRedo).toBe(true);
    s.record('b', 'x', 5000);
    expect(s.canRedo).toBe(false);
    expect(s.redo('x')).toBeNull();
    expect(s.undo('x')).toBe('b');
  });

  it('merges a burst of edits (drag, typing) into one step, and ignores no-op changes', () => {
    const s = stack();
    s.record('a', 'a', 0);
    expect(s.canUndo).toBe(false);
    s.record('a', 'ab', 0);
    s.record('ab', 'abc', 200);
    s.record('abc', 'abcd', 400); // each within 500 ms of the previous
    s.record('abcd', 'X', 2000); // a new step after a pause
    expect(s.undo('X')).toBe('abcd');
    expect(s.undo('abcd')).toBe('a');
    expect(s.canUndo).toBe(false);
  });

  it('keeps at most `limit` steps, dropping the oldest', () => {
    const s = stack();
    ['a', 'b', 'c', 'd', 'e'].reduce((prev, next, i) => (s.record(prev, next, i * 1000), next));
    expect(s.undo('e')).toBe('d');
    expect(s.undo('d')).toBe('c');
    expect(s.undo('c')).toBe('b');
    expect(s.undo('b')).toBeNull();
  });
});

describe('UndoStack.seal', () => {
  it('makes the next edit a step of its own even inside a burst', () => {
    const s = new UndoStack<string>((a, b) => a === b, 500);
    s.record('a', 'b', 0);
    s.seal();
    s.record('b', 'c', 100);
    s.seal();
    expect(s.undo('c')).toBe('b');
    expect(s.undo('b')).toBe('a');
  });
});
