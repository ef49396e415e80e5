import { useCallback, useEffect, useRef, useState } from 'react';
import { EMPTY_CLIP_EDITS, type ClipEdits } from '../model/clip-edits';
import type { EditCommand } from '../model/edit-commands';
import { UndoStack } from '../model/undo-stack';
import type { AuditHead } from '../../common/audit-chain';
import type { AuditInput } from '../store/case-repository';
import { repository } from './repository';

/**
 * One clip's edits as the editor sees them. Every command goes through the repository, which saves it
 * in one transaction before the state changes; undo and redo take the same path, and the history moves
 * only when the save succeeded. Edits reach the case's audit trail through the repository; the
 * editor records what only it knows (detection, review, export, verification) with `record`.
 */
export interface ClipSession {
  edits: ClipEdits;
  loaded: boolean;
  error: string | null;
  apply(command: EditCommand): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
  /** Appends events to the audit trail of the clip's case; several are stored together or not at all. */
  record(...inputs: AuditInput[]): Promise<void>;
  /** The head of the case's audit trail, for the export report. */
  auditHead(): Promise<AuditHead>;
}

export function useClipSession(clipId: string): ClipSession {
  const [edits, setEdits] = useState<ClipEdits>(EMPTY_CLIP_EDITS);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stack = useRef(new UndoStack());

  useEffect(() => {
    let live = true;
    stack.current = new UndoStack();
    setLoaded(false);
    // Edits saved by others (a detection run that ended before this session took over) reach it too;
    // the clip's queue delivers them after this load, so the newest edits win.
    const unwatch = repository.watchClipEdits(clipId, (e) => live && setEdits(e));
    repository.loadClipEdits(clipId).then(
      (e) => {
        if (!live) return;
        setEdits(e);
        setLoaded(true);
      },
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
      unwatch();
    };
  }, [clipId]);

  const apply = useCallback(async (command: EditCommand) => setEdits(await repository.doCommand(clipId, stack.current, command)), [clipId]);
  const undo = useCallback(async () => setEdits(await repository.undo(clipId, stack.current)), [clipId]);
  const redo = useCallback(async () => setEdits(await repository.redo(clipId, stack.current)), [clipId]);
  const record = useCallback(async (...inputs: AuditInput[]) => void (await repository.appendClipAuditEvents(clipId, inputs)), [clipId]);
  const auditHead = useCallback(async () => {
    const clip = await repository.getClip(clipId);
    if (!clip) throw new Error(`There is no clip ${clipId}.`);
    return repository.auditHead(clip.caseId);
  }, [clipId]);

  return {
    edits,
    loaded,
    error,
    apply,
    undo,
    redo,
    canUndo: stack.current.canUndo,
    canRedo: stack.current.canRedo,
    undoLabel: stack.current.undoLabel,
    redoLabel: stack.current.redoLabel,
    record,
    auditHead,
  };
}
