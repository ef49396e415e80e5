/**
 * Undo history of one clip's edits. It holds commands, not states: the caller applies each command
 * (in memory, or through the store so it is saved) and then records it. Undo and redo hand back the
 * command to apply and move only once the caller confirms with markUndone / markRedone, so a failed
 * save leaves history and state in step. `do`, `undo` and `redo` do both steps for pure callers.
 *
 * A drag sends many commands with one coalesce key; consecutive ones with the same key squash into
 * one undo step (breakCoalescing() or a different key starts a new step).
 */
import type { ClipEdits } from './clip-edits';
import { inverse, redone, squash, type EditCommand } from './edit-commands';

interface Entry {
  command: EditCommand;
  coalesceKey: string | undefined;
}

export class UndoStack {
  private done: Entry[] = [];
  private undone: EditCommand[] = [];
  private coalescing = true;

  constructor(readonly limit = 1000) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }
  get canRedo(): boolean {
    return this.undone.length > 0;
  }
  /** Labels for "Undo move region" / "Redo ..." menu items. */
  get undoLabel(): string | null {
    return this.done[this.done.length - 1]?.command.label ?? null;
  }
  get redoLabel(): string | null {
    return this.undone[this.undone.length - 1]?.label ?? null;
  }
  get size(): number {
    return this.done.length;
  }

  /** Records a command the caller has just applied. Clears redo. */
  record(command: EditCommand, coalesceKey?: string): void {
    this.undone = [];
    const top = this.done[this.done.length - 1];
    if (coalesceKey !== undefined && this.coalescing && top?.coalesceKey === coalesceKey) {
      const merged = squash(top.command, command);
      if (merged) {
        this.done[this.done.length - 1] = { command: merged, coalesceKey };
        return;
      }
    }
    this.coalescing = true;
    this.done.push({ command, coalesceKey });
    if (this.done.length > this.limit) this.done.splice(0, this.done.length - this.limit);
  }

  /** The next command recorded starts a new undo step even with the same coalesce key (e.g. on mouse up). */
  breakCoalescing(): void {
    this.coalescing = false;
  }

  /** The command that undoes the last step, to apply; null if there is none. Does not move. */
  undoCommand(): EditCommand | null {
    const top = this.done[this.done.length - 1];
    return top ? inverse(top.command) : null;
  }
  /** The command that redoes the last undone step, to apply; null if there is none. Does not move. */
  redoCommand(): EditCommand | null {
    const top = this.undone[this.undone.length - 1];
    return top ? redone(top) : null;
  }
  /** Confirms that undoCommand() was applied. */
  markUndone(): void {
    const top = this.done.pop();
    if (top) this.undone.push(top.command);
    this.coalescing = false;
  }
  /** Confirms that redoCommand() was applied. */
  markRedone(): void {
    const c = this.undone.pop();
    if (c) this.done.push({ command: c, coalesceKey: undefined });
  }

  do(edits: ClipEdits, command: EditCommand, coalesceKey?: string): ClipEdits {
    const next = command.apply(edits);
    this.record(command, coalesceKey);
    return next;
  }
  undo(edits: ClipEdits): ClipEdits {
    const c = this.undoCommand();
    if (!c) return edits;
    const next = c.apply(edits);
    this.markUndone();
    return next;
  }
  redo(edits: ClipEdits): ClipEdits {
    const c = this.redoCommand();
    if (!c) return edits;
    const next = c.apply(edits);
    this.markRedone();
    return next;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
  }
}
