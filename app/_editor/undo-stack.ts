/**
 * Undo/redo stacks of snapshots with burst coalescing: edits closer together than `quietMs` (a drag, typing in a
 * field) form one step. Pure (no React, no store) so it is unit-tested directly.
 */
/** Bounded undo/redo stacks of snapshots with burst coalescing; pure so it is tested without a browser. */
export class UndoStack<T> {
  private past: T[] = [];
  private future: T[] = [];
  /** The state before the current burst of edits, while one is open. */
  private burstBase: T | null = null;
  private lastEditAt = -Infinity;

  constructor(
    private readonly equal: (a: T, b: T) => boolean,
    private readonly quietMs = 600,
    private readonly limit = 200,
  ) {}

  /** Record that the document went from `before` to `after` at time `at` (ms). */
  record(before: T, after: T, at: number): void {
    if (this.equal(before, after)) return;
    if (this.burstBase === null || at - this.lastEditAt > this.quietMs) {
      this.closeBurst();
      this.burstBase = before;
    }
    this.lastEditAt = at;
    this.future = [];
  }

  /** Ends the current burst, so the next edit starts a new step (discrete actions: add, delete, paste, connect). */
  seal(): void {
    this.closeBurst();
  }

  private closeBurst(): void {
    if (this.burstBase === null) return;
    this.past.push(this.burstBase);
    if (this.past.length > this.limit) this.past.shift();
    this.burstBase = null;
  }

  get canUndo(): boolean {
    return this.burstBase !== null || this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** The state to go back to from `current`, or null when there is nothing to undo. */
  undo(current: T): T | null {
    this.closeBurst();
    const prev = this.past.pop();
    if (prev === undefined) return null;
    this.future.push(current);
    return prev;
  }

  redo(current: T): T | null {
    this.closeBurst();
    const next = this.future.pop();
    if (next === undefined) return null;
    this.past.push(current);
    return next;
  }

  clear(): void {
    this.past = [];
    this.future = [];
    this.burstBase = null;
  }
}
