import { useCallback, useEffect, useRef, useState } from 'react';
import { EMPTY_CLIP_EDITS, type ClipEdits } from '../model/clip-edits';
import type { EditCommand } from '../model/edit-commands';
import { UndoStack } from '../model/undo-stack';
import { applyCommand, loadClipEdits } from '../store/case-repository';

/** One clip's edits as the editor sees them: every command is saved as it happens, undo/redo included. */
export interface ClipSession {
  edits: ClipEdits;
  loaded: boolean;
  apply(command: EditCommand): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
}

export function useClipSession(clipId: string): ClipSession {
  const [edits, setEdits] = useState<ClipEdits>(EMPTY_CLIP_EDITS);
  const [loaded, setLoaded] = useState(false);
  const [, rerender] = useState(0);
  const stack = useRef(new UndoStack());
  const current = useRef(edits);
  // Edits are applied one at a time, in order, each written before the next starts.
  const queue = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    let live = true;
    stack.current = new UndoStack();
    setLoaded(false);
    void loadClipEdits(clipId).then((e) => {
      if (!live) return;
      current.current = e;
      setEdits(e);
      setLoaded(true);
    });
    return () => {
      live = false;
    };
  }, [clipId]);

  const enqueue = useCallback(
    (step: () => Promise<void>) => {
      const next = queue.current.then(step);
      queue.current = next.catch(() => {});
      return next;
    },
    [],
  );

  const commit = async (command: EditCommand) => {
    const next = await applyCommand(clipId, current.current, command);
    current.current = next;
    setEdits(next);
  };

  const apply = useCallback(
    (command: EditCommand) =>
      enqueue(async () => {
        await commit(command);
        stack.current.record(command);
        rerender((n) => n + 1);
      }),
    [clipId],
  );
  const undo = useCallback(
    () =>
      enqueue(async () => {
        // Saved first, then the history moves: a failed write leaves history and state in step.
        const command = stack.current.undoCommand();
        if (!command) return;
        await commit(command);
        stack.current.markUndone();
        rerender((n) => n + 1);
      }),
    [clipId],
  );
  const redo = useCallback(
    () =>
      enqueue(async () => {
        const command = stack.current.redoCommand();
        if (!command) return;
        await commit(command);
        stack.current.markRedone();
        rerender((n) => n + 1);
      }),
    [clipId],
  );

  return {
    edits,
    loaded,
    apply,
    undo,
    redo,
    canUndo: stack.current.canUndo,
    canRedo: stack.current.canRedo,
    undoLabel: stack.current.undoLabel,
    redoLabel: stack.current.redoLabel,
  };
}
