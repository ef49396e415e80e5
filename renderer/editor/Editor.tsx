import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, type ClipFacts, type LeakFindings as LeakFindingsResult } from '../../common/api';
import { DEFAULT_OUTPUT, PLAN_SCHEMA_ID, PLAN_VERSION, type AudioRedaction, type RedactionPlan } from '../../common/plan';
import { newId } from '../model/clip-edits';
import type { RedactionStyle } from '../../common/style';
import { DEFAULT_AUDIO_REASON, DEFAULT_FACE_REASON, DEFAULT_KEEP_REASON, describeReason, KEEP_REASONS, reasonProblem, reasonsForDecision, type ReasonCode } from '../../common/reasons';
import { defaultCode } from '../model/reason-list';
import { boxAtFrame, type Track } from '../../common/track';
import { call, cancelJob, errorMessage, newJobId } from '../api/client';
import { stepUndecided } from '../model/proposal-order';
import { addAudioRange, addManualTrack, deleteKeyframe, deleteTracks, mergeMany, mergeTracks, removeAudioRange, deleteTrack, setAudioRangeReason, setBoxAtFrame, setDecision, setRequester, setSpan, setStyle, splitTrack, updateAudioRange, setTrackedPath, type EditCommand } from '../model/edit-commands';
import type { ClipSession } from '../app/use-clip-session';
import { useReviewCoverage } from '../app/use-review-coverage';
import { startDetection, takeDetectionOutcome, useDetectOptions, useDetectionRun, useDetectionTarget } from '../app/detection-runs';
import { DetectionOptions } from './DetectionOptions';
import { exportAndRecord, lastDisclosure, takeExportOutcome, useResumedExport } from '../app/export-runs';
import { reviewSummary, unwatchedStretches } from '../../common/review-coverage';
import { ExportDialog, type ExportChoice, type ExportDialogProps } from './ExportDialog';
import { clampFrame } from './frame-clock';
import { TimecodeField } from './TimecodeField';
import { stepKeyframe } from '../model/keyframe-steps';
import { stepUnwatched } from '../model/unwatched-steps';
import { HelpOverlay } from './HelpOverlay';
import { LeakFindings } from './LeakFindings';
import { actionForKey } from '../model/shortcuts';
import { fitPxPerFrame, makeView, scrollToShow, zoomAt, type TimelineView } from '../model/timeline-scale';
import { Player } from './Player';
import { Timeline } from './Timeline';
import type { Peaks } from '../model/waveform';
import { pendingJob, type JobProgressState } from '../model/job-progress';
import { useFollowedJobs } from '../app/use-followed-jobs';
import { JobProgress } from './JobProgress';
import { rememberPlace, takeStartFrame } from '../app/last-place';
import { countOf } from '../../common/count-of';
import { keyframesOfPath } from '../../common/path-keyframes';
import { ReasonPicker, reasonFields, type ReasonChoice } from './ReasonPicker';
import { Gallery } from './Gallery';
import { pauseCrops, useCrops } from './use-crops';
import { filterByKind, galleryCards, mergeCandidates, type KindFilter } from '../model/gallery';
import { lookAlikes, SimilarityMemo } from '../model/appearance';
import { orderLanes, regionNumbers, type LaneOrder } from '../model/lane-order';
import { clampTimelineHeight, defaultTimelineHeight } from '../model/panel-size';
import { Splitter } from './Splitter';
import { exportSummary } from '../model/export-summary';
import { NO_ZOOM, zoomAt as zoomVideoAt, zoomOnBox, type VideoZoom } from '../model/video-zoom';
import { intersection } from '../../common/geometry';

export interface EditorProps {
  clip: { id: string; path: string; name: string; facts: ClipFacts; proxyPath?: string };
  session: ClipSession;
  userName: string;
  /** The configured reasons to redact (preferences). */
  reasons: readonly ReasonCode[];
  /** The case's reference, for the export report. */
  caseReference?: string;
  /** Names the case's working folder, where its playable copies go (common/case-work-key.ts). */
  caseKey: string;
  onProxy(proxyPath: string): void;
}

type Job = JobProgressState & { kind: 'detect' | 'export' | 'proxy' | 'track' };
const JOB_CANCEL_LABELS: Record<Job['kind'], string> = { detect: 'Cancel detection', export: 'Cancel export', proxy: 'Cancel', track: 'Cancel tracking' };

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const NO_TRACKS: Track[] = [];

/** The review workplace for one clip: player, timeline, inspector, detection and export. */
export function Editor({ clip, session, userName, reasons, caseReference, caseKey, onProxy }: EditorProps) {
  const facts = clip.facts;
  const frameCount = facts.video.frameCount;
  const fps = facts.video.frameRate.num / Math.max(1, facts.video.frameRate.den);
  const [url, setUrl] = useState<string | null>(null);
  // Where the reviewer left this clip, when the app comes back to it (app/last-place.ts).
  const [frame, setFrame] = useState(() => clampFrame(takeStartFrame(clip.id), frameCount));
  useEffect(() => rememberPlace({ clipId: clip.id, frame }), [clip.id, frame]);
  const [playing, setPlaying] = useState(false);
  const [rate, setRate] = useState(1);
  const [reverse, setReverse] = useState(0);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [secondId, setSecondId] = useState<string | null>(null);
  const [drawing, setDrawing] = useState(false);
  const [shape, setShape] = useState<'rectangle' | 'ellipse'>('rectangle');
  const [audioMode, setAudioMode] = useState<'mute' | 'bleep'>('bleep');
  const [selectedAudioId, setSelectedAudioId] = useState<string | null>(null);
  const [peaks, setPeaks] = useState<Peaks | null>(null);
  const [preview, setPreview] = useState(false);
  const [videoZoom, setVideoZoom] = useState<VideoZoom>(NO_ZOOM);
  const [hideDecided, setHideDecided] = useState(false);
  const [audioTools, setAudioTools] = useState(false);
  const [help, setHelp] = useState(false);
  // The reasons the next decision, new region or audio range records (common/reasons.ts).
  const [redactReason, setRedactReason] = useState<ReasonChoice>({ code: defaultCode(reasons, DEFAULT_FACE_REASON), text: '' });
  const [keepReason, setKeepReason] = useState<ReasonChoice>({ code: DEFAULT_KEEP_REASON, text: '' });
  // The gallery's "keep as": a bulk choice of its own, kept while cards are opened (which resets the one above).
  const [bulkKeepReason, setBulkKeepReason] = useState<ReasonChoice>({ code: DEFAULT_KEEP_REASON, text: '' });
  const [audioReason, setAudioReason] = useState<ReasonChoice>({ code: defaultCode(reasons, DEFAULT_AUDIO_REASON), text: '' });
  // The timecode as a field to type a time or frame into (clicked, or Ctrl+G).
  const [goingTo, setGoingTo] = useState(false);
  const [inPoint, setInPoint] = useState<number | null>(null);
  const [outPoint, setOutPoint] = useState<number | null>(null);
  const [view, setView] = useState<TimelineView>(() => makeView(frameCount, 800, fitPxPerFrame(frameCount, 800)));
  const [editorJobs, setJobs] = useFollowedJobs<Job>();
  // Detection outlives this editor (a reviewer moves to another clip meanwhile): its run is kept per clip.
  const detection = useDetectionRun(clip.id);
  useDetectionTarget(clip.id, session.apply);
  // So does an export a previous page started (export-runs.ts): shown here while it runs, with its Cancel.
  const resumedExport = useResumedExport(clip.id);
  const jobs = useMemo<Job[]>(
    () => [
      ...editorJobs,
      ...(detection ? [{ ...detection, kind: 'detect' as const }] : []),
      ...(resumedExport ? [{ ...resumedExport, kind: 'export' as const }] : []),
    ],
    [editorJobs, detection, resumedExport],
  );
  // Detection's tracks so far, shown while it runs and never saved: the final result replaces them.
  const provisional = detection?.provisional ?? NO_TRACKS;
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState<{ open: boolean; jobId: string | null; error: string | null; result: ExportDialogProps['result'] }>({ open: false, jobId: null, error: null, result: null });
  // The last export's leak check, shown beside the video with its boxes on the overlay.
  const [leaks, setLeaks] = useState<LeakFindingsResult | null>(null);
  const leakMarks = useMemo(() => (leaks?.leaks ?? []).map((l) => ({ frame: l.sourceFrame, box: l.box })), [leaks]);

  const tracks = session.edits.tracks as Track[];
  const selected = tracks.find((t) => t.id === selectedId) ?? null;
  const undecided = useMemo(() => tracks.filter((t) => t.decision === 'proposed'), [tracks]);
  // Review coverage: frames watched at normal speed or stepped through (issue 4).
  const coverage = useReviewCoverage(clip.id);
  const unwatched = useMemo(() => unwatchedStretches(coverage.watched, frameCount), [coverage.watched, frameCount]);

  // The people gallery: a card per region at its best frame, and who looks like the same person.
  const cards = useMemo(() => galleryCards(tracks, frameCount - 1), [tracks, frameCount]);
  const candidates = useMemo(() => mergeCandidates(tracks, frameCount - 1, { maxGap: Math.round(fps * 3) }), [tracks, frameCount, fps]);
  const [laneOrder, setLaneOrder] = useState<LaneOrder>('added');
  // The kind shown (faces, text or all), in the gallery and on the timeline's lanes alike.
  const [kind, setKind] = useState<KindFilter>('all');
  const laneTracks = useMemo(() => orderLanes(filterByKind(tracks, kind), laneOrder, frameCount - 1), [tracks, kind, laneOrder, frameCount]);
  const numbers = useMemo(() => regionNumbers(tracks), [tracks]);
  const [timelineHeight, setTimelineHeight] = useTimelineHeight();
  const cropRequests = useMemo(() => cards.map((c) => ({ id: c.id, frame: c.bestFrame, box: c.box })), [cards]);

  // The playable source: the original, or its proxy when Chromium cannot play it.
  const [proxyAttempt, setProxyAttempt] = useState(0);
  const [proxyStopped, setProxyStopped] = useState(false);
  // The stored copy would not load (deleted with the app's data, say): a new one is made.
  const [proxyLost, setProxyLost] = useState(false);
  const proxyRemade = useRef(false);
  useEffect(() => {
    let live = true;
    // Leaving the clip stops its copy: coming back starts afresh rather than a second copy alongside.
    let proxyJob: string | null = null;
    (async () => {
      try {
        if (!facts.playable && (!clip.proxyPath || proxyLost)) {
          const jobId = newJobId('proxy');
          proxyJob = jobId;
          setJobs((j) => [...j, { ...pendingJob(jobId, 'making a playable copy'), kind: 'proxy' }]);
          try {
            const { proxyPath } = await call('makeProxy', { jobId, path: clip.path, caseKey });
            onProxy(proxyPath);
            if (live && proxyLost) setProxyLost(false);
          } finally {
            setJobs((j) => j.filter((x) => x.jobId !== jobId));
          }
          return;
        }
        const { url } = await call('mediaUrl', { path: clip.proxyPath ?? clip.path });
        if (live) setUrl(url);
      } catch (err) {
        if (!live) return;
        // The original is untouched and export reads it: only playing here waits for a copy.
        const cancelled = err instanceof ApiError && err.code === 'cancelled';
        if (cancelled) setProxyStopped(true);
        setError(cancelled ? 'Making a playable copy was cancelled: this clip cannot be played here until one is made (Make a playable copy, on the player). Export reads the original and is not affected.' : errorMessage(err));
      }
    })();
    return () => {
      live = false;
      if (proxyJob) cancelJob(proxyJob);
    };
  }, [clip.path, clip.proxyPath, proxyAttempt, proxyLost, caseKey]);

  // The waveform for the audio lane, in the background.
  useEffect(() => {
    if (!facts.hasAudio) return;
    let live = true;
    const jobId = newJobId('peaks');
    call('audioPeaks', { jobId, path: clip.path }).then(
      (p) => live && setPeaks(p),
      () => {},
    );
    return () => {
      live = false;
      cancelJob(jobId);
    };
  }, [clip.path]);

  // Thumbnails along the top of the timeline, in the background.
  const [thumbs, setThumbs] = useState<{ intervalSeconds: number; images: HTMLImageElement[] } | null>(null);
  const startSeconds = (clip.proxyPath ? facts.playerStart?.copy : facts.playerStart?.original) ?? 0;
  const { crops, looks, msPerCrop } = useCrops(url, startSeconds, facts.frameTimes, facts.video, cropRequests);
  // Regions whose card pictures look alike, at any gap (those already suggested by place left out).
  const similarities = useMemo(() => new SimilarityMemo(), []);
  const alike = useMemo(() => lookAlikes(cards, looks, { skip: candidates, memo: similarities }), [cards, looks, candidates, similarities]);
  // Crops wait while the clip plays: their seeking would compete with playback for the decoder.
  useEffect(() => {
    pauseCrops('playing', playing);
    return () => pauseCrops('playing', false);
  }, [playing]);

  useEffect(() => {
    let live = true;
    const jobId = newJobId('thumbs');
    call('thumbnails', { jobId, path: clip.path, count: 60, height: 36 }).then(
      (t) => {
        if (!live) return;
        const images = t.images.map((src) => {
          const img = new Image();
          img.src = src;
          return img;
        });
        // Redraw once they have decoded.
        void Promise.all(images.map((i) => i.decode().catch(() => {}))).then(() => live && setThumbs({ intervalSeconds: t.intervalSeconds, images }));
      },
      () => {},
    );
    return () => {
      live = false;
      cancelJob(jobId);
    };
  }, [clip.path]);


  const run = useCallback(
    async (command: () => EditCommand) => {
      try {
        await session.apply(command());
        setError(null);
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [session],
  );

  const seek = (f: number) => {
    setError(null);
    setPlaying(false);
    setReverse(0);
    setFrame(clampFrame(f, frameCount));
  };

  // Reverse shuttle: Chromium cannot play backwards, so step back at the shuttle's speed.
  useEffect(() => {
    if (!reverse) return;
    const timer = setInterval(() => setFrame((f) => (f <= 0 ? 0 : f - 1)), 1000 / (fps * reverse));
    return () => clearInterval(timer);
  }, [reverse, fps]);

  // A code removed from the preferences falls back to the default rather than staying chosen.
  useEffect(() => {
    setRedactReason((r) => (reasons.some((x) => x.code === r.code) ? r : { code: defaultCode(reasons, DEFAULT_FACE_REASON), text: '' }));
    setAudioReason((r) => (reasons.some((x) => x.code === r.code) ? r : { code: defaultCode(reasons, DEFAULT_AUDIO_REASON), text: '' }));
  }, [reasons]);

  // Selecting a region shows its own reason in the picker for its decision.
  useEffect(() => {
    if (!selected) return;
    // Each region starts from its own reason, or the default: a reason chosen for another never carries over.
    const choice = { code: selected.reason, text: selected.reasonText ?? '' };
    setKeepReason(selected.decision === 'keep' ? choice : { code: DEFAULT_KEEP_REASON, text: '' });
    setRedactReason(selected.decision !== 'keep' && reasons.some((r) => r.code === selected.reason) ? choice : { code: defaultCode(reasons, DEFAULT_FACE_REASON), text: '' });
    // On the region itself, not its id: a drawn region is selected before its edit has landed.
  }, [selected?.id]);

  /** Decides the tracks with the reason chosen for that decision; refused, saying why, when the reason is not complete. */
  const decide = (ids: string[], decision: 'redact' | 'keep', choice: ReasonChoice = decision === 'keep' ? keepReason : redactReason) => {
    if (!ids.length) return;
    const list = reasonsForDecision(reasons, decision);
    const problem = reasonProblem(list, choice.code, choice.text);
    if (problem) return setError(`Not decided: ${problem}.`);
    const { reason, reasonText } = reasonFields(list, choice);
    return run(() => setDecision(ids, decision, reason, userName, reasonText ? { reasonText } : {}));
  };

  // Assisted tracking: the engine follows the selected region's content from this frame (engine/track).
  const [trackNote, setTrackNote] = useState<string | null>(null);
  useEffect(() => setTrackNote(null), [selectedId]);
  const STOPS = { lost: 'the content was lost', cut: 'a shot cut', end: 'the end of the clip', limit: 'the 10-second limit (track again from there to go on)' } as const;
  // Followed back, the clip's end is its first frame.
  const stopWords = (stop: keyof typeof STOPS, direction: 'forward' | 'back') => (stop === 'end' && direction === 'back' ? 'the start of the clip' : STOPS[stop]);
  const followSelected = async (direction: 'forward' | 'back') => {
    const t = selected;
    const box = t && boxAtFrame(t, frame);
    if (!t || !box) return setError('Select a region shown at this frame to track it.');
    const from = frame;
    const jobId = newJobId('track');
    setTrackNote(null);
    setJobs((j) => [...j, { ...pendingJob(jobId, 'tracking'), kind: 'track' }]);
    try {
      const r = await call('followRegion', { jobId, path: clip.path, frame: from, box, direction });
      if (!r.path.length) return setError(`Nothing followed ${direction === 'forward' ? 'after' : 'before'} frame ${from}: ${stopWords(r.stopped, direction)}.`);
      await run(() => setTrackedPath(t.id, from, direction, keyframesOfPath(r.path), userName));
      const reached = direction === 'forward' ? r.path[r.path.length - 1]!.frame : r.path[0]!.frame;
      setTrackNote(`Followed ${countOf(r.path.length, 'frame')} to frame ${reached}, stopped by ${stopWords(r.stopped, direction)}. Check the boxes and correct any.`);
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'cancelled' ? 'Tracking cancelled: the region is as it was.' : errorMessage(err));
    } finally {
      setJobs((j) => j.filter((x) => x.jobId !== jobId));
    }
  };

  const [detectOptions, chooseDetectOptions] = useDetectOptions();
  const detect = () => void startDetection(clip, frameCount, detectOptions);
  // A run that ended (here, or while another clip was open) says how it went.
  useEffect(() => {
    if (detection) return;
    const message = takeDetectionOutcome(clip.id);
    if (message !== undefined) setError(message);
  }, [detection, clip.id]);
  useEffect(() => {
    if (resumedExport) return;
    const message = takeExportOutcome(clip.id);
    if (message !== undefined) setError(message);
  }, [resumedExport, clip.id]);

  // The dialog starts from the case's last recipient and purpose.
  const [disclosure, setDisclosure] = useState({ recipient: '', purpose: '' });
  const openExport = async () => {
    setDisclosure(await lastDisclosure(clip.id).catch(() => ({ recipient: '', purpose: '' })));
    setExporting({ open: true, jobId: null, error: null, result: null });
  };

  const doExport = async (choice: ExportChoice) => {
    const jobId = newJobId('export');
    setExporting((s) => ({ ...s, jobId, error: null, result: null }));
    setJobs((j) => [...j, { ...pendingJob(jobId, 'starting export'), kind: 'export' }]);
    const plan: RedactionPlan = {
      schema: PLAN_SCHEMA_ID,
      version: PLAN_VERSION,
      source: { name: facts.name, size: facts.size, sha256: facts.sha256, video: facts.video, hasAudio: facts.hasAudio },
      tracks,
      audio: [...session.edits.audio],
      ...(choice.trim ? { trim: choice.trim } : {}),
      ...(choice.subject ? { subject: choice.subject } : {}),
      output: { ...DEFAULT_OUTPUT, style: choice.style },
    };
    try {
      // The review as recorded, and the reviewer's confirmation when it is incomplete: into the report,
      // and into the trail together with the export it was made for (a failed export records neither).
      await coverage.flush();
      const review = reviewSummary(plan, coverage.watched);
      const confirmation = !review.complete && choice.confirmation ? { reason: choice.confirmation, by: userName, at: new Date().toISOString() } : undefined;
      const reviewEvent = {
        type: 'review' as const,
        payload: { clipId: clip.id, frameCount: review.frameCount, framesWatched: review.framesWatched, unwatched: review.unwatched, undecided: review.undecided.map((u) => u.trackId), ...(confirmation ? { confirmation } : {}) },
      };
      const evidence = {
        operator: userName,
        ...(caseReference ? { caseReference } : {}),
        ...(choice.recipient ? { recipient: choice.recipient } : {}),
        ...(choice.purpose ? { purpose: choice.purpose } : {}),
        reasons: [...reasons],
        review: { watched: coverage.watched.map(([a, b]) => [a, b] as [number, number]), ...(confirmation ? { confirmation } : {}) },
        // The trail as it stands when the export begins; the review and export events follow it directly.
        auditHead: await session.auditHead(),
        leakCheck: choice.leakCheck,
      };
      const { out, verified: v } = await exportAndRecord(clip.id, { jobId, sourcePath: clip.path, plan, outputPath: choice.outputPath, overwrite: true, evidence }, reviewEvent);
      // Findings belong to this output: an export without the check clears the last one's.
      setLeaks(out.leakCheck);
      // Faces inside regions kept on purpose are no leaks: said apart.
      const keptNote = (n?: number) => (n ? `; ${countOf(n, 'face detection')} inside regions kept on purpose, not leaks` : '');
      const leakSummary = !out.leakCheck
        ? null
        : out.leakCheck.clean
          ? `Leak check: no face detected outside redacted regions (${countOf(out.leakCheck.framesChecked, 'frame')} checked)${keptNote(out.leakCheck.insideKept)}.`
          : `Leak check: ${countOf(out.leakCheck.leakCount, 'face detection')} outside redacted regions${keptNote(out.leakCheck.insideKept)}. Close this to see them listed beside the video.`;
      setExporting((s) => ({ ...s, jobId: null, result: { outputPath: out.outputPath, verified: v.ok ? `Verified: ${countOf(out.frames, 'frame')}, SHA-256 ${out.sha256.slice(0, 16)}…` : 'Verification FAILED', leakSummary, warnings: out.warnings } }));
    } catch (err) {
      // The engine removes its partial files on cancel, so say so plainly.
      const cancelled = err instanceof ApiError && err.code === 'cancelled';
      setExporting((s) => ({ ...s, jobId: null, error: cancelled ? 'Export cancelled. No file was written.' : errorMessage(err) }));
    } finally {
      setJobs((j) => j.filter((x) => x.jobId !== jobId));
    }
  };

  // Keyboard: one table (keymap.ts) for the handler and the help overlay.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // An open dialog owns the keyboard (Modal.tsx); nothing acts behind it.
      if (document.querySelector('[aria-modal="true"]')) return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement) {
        // Escape leaves a field or list, giving the keys back to the shortcuts.
        if (e.key === 'Escape') e.target.blur();
        return;
      }
      const action = e.key === 'Escape' ? 'escape' : e.key === 'p' && !e.ctrlKey && !e.metaKey ? 'preview' : actionForKey(e);
      if (!action) return;
      e.preventDefault();
      // A message belongs to the action that caused it: the next action clears it (and may set its own).
      setError(null);
      const step = (n: number) => {
        const to = clampFrame(frame + n, frameCount);
        if (Math.abs(n) === 1) coverage.moved(frame, to, { kind: 'step' });
        seek(to);
      };
      switch (action) {
        case 'frame-back': return step(-1);
        case 'frame-forward': return step(1);
        case 'frame-back-10': return step(-10);
        case 'frame-forward-10': return step(10);
        case 'go-to-start': return seek(0);
        case 'go-to-end': return seek(frameCount - 1);
        case 'go-to': setPlaying(false); return setGoingTo(true);
        case 'play-pause': setReverse(0); setRate(1); return setPlaying((p) => !p);
        case 'shuttle-forward': setReverse(0); setRate((r) => (playing ? Math.min(8, r * 2) : 1)); return setPlaying(true);
        case 'shuttle-reverse': setPlaying(false); return setReverse((r) => (r ? Math.min(8, r * 2) : 1));
        case 'shuttle-stop': setReverse(0); return setPlaying(false);
        // In and out never cross (as in a video editor): a mark set beyond the other one clears it.
        case 'mark-in':
          if (outPoint !== null && outPoint < frame) setOutPoint(null);
          return setInPoint(frame);
        case 'mark-out':
          if (inPoint !== null && inPoint > frame) setInPoint(null);
          return setOutPoint(frame);
        case 'clear-marks':
          setInPoint(null);
          return setOutPoint(null);
        case 'accept': return void (selected && decide([selected.id], 'redact'));
        case 'reject': return void (selected && decide([selected.id], 'keep'));
        case 'next-proposal':
        case 'previous-proposal': {
          const next = stepUndecided(tracks, selectedId, frame, action === 'next-proposal' ? 1 : -1, frameCount - 1);
          if (!next) return setError('No undecided proposals left.');
          setSecondId(null);
          setSelectedId(next.id);
          setSelectedAudioId(null);
          return seek(next.frame);
        }
        case 'next-keyframe':
        case 'previous-keyframe': {
          if (!selected) return setError('Select a region to step through its keyframes.');
          const to = stepKeyframe(selected.keyframes, frame, action === 'next-keyframe' ? 1 : -1);
          if (to === null) return setError(`The region has no keyframe ${action === 'next-keyframe' ? 'after' : 'before'} this frame.`);
          return seek(to);
        }
        case 'next-unwatched':
        case 'previous-unwatched': {
          const to = stepUnwatched(unwatched, frame, action === 'next-unwatched' ? 1 : -1);
          if (to === null) return setError('Every frame has been watched.');
          return seek(to);
        }
        case 'delete':
          if (selectedAudioId) {
            const id = selectedAudioId;
            setSelectedAudioId(null);
            return void run(() => removeAudioRange(id));
          }
          if (!selected) return;
          if (selected.keyframes.some((k) => k.frame === frame) && selected.keyframes.length > 2) return void run(() => deleteKeyframe(selected.id, frame, userName));
          setSelectedId(null);
          return void run(() => deleteTrack(selected.id));
        case 'new-region': return setDrawing(true);
        case 'split': return selected && void run(() => splitTrack(selected.id, frame, userName));
        case 'undo': return void session.undo();
        case 'redo': return void session.redo();
        case 'zoom-in': return setView((v) => scrollToShow(zoomAt(v, 1.5, v.widthPx / 2), frame));
        case 'zoom-out': return setView((v) => scrollToShow(zoomAt(v, 1 / 1.5, v.widthPx / 2), frame));
        case 'video-zoom-in':
        case 'video-zoom-out': {
          const factor = action === 'video-zoom-in' ? 2 : 0.5;
          const b = selected && boxAtFrame(selected, frame);
          return setVideoZoom((v) => (b ? zoomOnBox(v, factor, b, facts.video.width, facts.video.height) : zoomVideoAt(v, factor, 0.5, 0.5)));
        }
        case 'video-zoom-reset': return setVideoZoom(NO_ZOOM);
        case 'hide-decided': return setHideDecided((h) => !h);
        case 'preview': return setPreview((p) => !p);
        case 'help': return setHelp((h) => !h);
        case 'escape': setDrawing(false); return setHelp(false);
        default: return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // Keep the playhead in view while playing or stepping.
  useEffect(() => setView((v) => scrollToShow(v, frame)), [frame]);

  const time = facts.frameTimes[frame] ?? 0;
  const running = (kind: Job['kind']) => jobs.find((j) => j.kind === kind);

  return (
    <div className="editor">
      <div className="toolbar" role="toolbar" aria-label="Editor tools">
        <div className="tool-group" role="group" aria-label="Detection">
          <button onClick={detect} disabled={!!running('detect')} title="Propose a region for every face and/or text (number plates, documents, screens) in the clip, as ticked; each proposal waits for your decision" data-testid="detect">Detect</button>
          <DetectionOptions value={detectOptions} onChange={chooseDetectOptions} disabled={!!running('detect')} />
        </div>
        <div className="tool-group" role="group" aria-label="Drawing">
          <button onClick={() => setDrawing((d) => !d)} className={drawing ? 'active' : ''} title="Draw a region on the video to redact (N); it takes the reason to redact in the inspector" data-testid="draw">New region (N)</button>
          <select value={shape} onChange={(e) => setShape(e.target.value as 'rectangle' | 'ellipse')} aria-label="Shape of new regions" title="Shape of new regions">
            <option value="rectangle">rectangle</option>
            <option value="ellipse">ellipse</option>
          </select>
          <button onClick={() => setHideDecided((h) => !h)} className={hideDecided ? 'active' : ''} aria-pressed={hideDecided} title="Hide regions already decided on the video, to see what is left (H)" data-testid="hide-decided">Hide decided (H)</button>
          <button onClick={() => setVideoZoom(NO_ZOOM)} disabled={videoZoom.zoom === 1} title="Zoom the video: wheel over it, Z / Shift+Z; drag off the boxes to pan. Click for the whole frame (0)" data-testid="video-zoom">{Math.round(videoZoom.zoom * 10) / 10}×</button>
        </div>
        {facts.hasAudio && (
          <div className="tool-group" role="group" aria-label="Audio">
            <select value={audioMode} onChange={(e) => setAudioMode(e.target.value as 'mute' | 'bleep')} aria-label="Audio redaction drawn on the waveform" title="Drag on the waveform under the thumbnails to add a range of this kind">
              <option value="bleep">audio: bleep</option>
              <option value="mute">audio: mute</option>
            </select>
            <button onClick={() => setAudioTools((a) => !a)} className={audioTools ? 'active' : ''} aria-expanded={audioTools} title="The reason new audio ranges record" data-testid="audio-tools">Audio reason…</button>
            {(audioTools || selectedAudioId) && <ReasonPicker list={reasons} value={audioReason} onChange={setAudioReason} label="audio reason" testId="audio-reason" />}
          </div>
        )}
        <div className="tool-group" role="group" aria-label="Review">
          <button onClick={() => setPreview((p) => !p)} className={preview ? 'active' : ''} title="See and hear the clip as it will be exported (P)" data-testid="preview">Preview (P)</button>
          <button onClick={() => session.undo()} disabled={!session.canUndo} data-testid="undo" title={session.undoLabel ? `Undo: ${session.undoLabel} (Ctrl+Z)` : 'Nothing to undo'}>Undo</button>
          <button onClick={() => session.redo()} disabled={!session.canRedo} data-testid="redo" title={session.redoLabel ? `Redo: ${session.redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'}>Redo</button>
          <button onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</button>
        </div>
        <div className="tool-group" role="group" aria-label="Export">
          <button onClick={openExport} className="primary" title="Write the redacted copy with its sealed report" data-testid="open-export">Export…</button>
        </div>
        <span className="spacer" />
        {jobs.map((j) => (
          <JobProgress
            key={j.jobId}
            job={j}
            testId={`job-${j.kind}`}
            // The export dialog's own export is cancelled in the dialog, which says what became of it.
            onCancel={j.jobId === exporting.jobId ? undefined : () => cancelJob(j.jobId)}
            cancelLabel={JOB_CANCEL_LABELS[j.kind]}
          />
        ))}
      </div>
      {error && <div className="error" role="alert" onClick={() => setError(null)}>{error}</div>}
      {/* The player with the timeline under it; the inspector and gallery the full height beside them. */}
      <div className="main">
        <div className="work">
        <div className="stage">
          {url ? (
            <Player
              url={url}
              onUnplayable={() => {
                setUrl(null);
                if (clip.proxyPath && !facts.playable && !proxyRemade.current) {
                  proxyRemade.current = true;
                  return setProxyLost(true);
                }
                setError(
                  clip.proxyPath && !facts.playable
                    ? `This clip cannot be played: a new playable copy of ${clip.path} would not load either. Export reads the original and is not affected.`
                    : `This clip cannot be played: its original, ${clip.path}, is missing, moved or unreadable (is the evidence drive connected?). Nothing in the case has changed; reconnect the file and open the clip again.`,
                );
              }}
              facts={facts}
              startSeconds={startSeconds}
              frame={frame}
              playing={playing}
              rate={rate}
              tracks={tracks}
              selectedId={selectedId}
              drawing={drawing}
              preview={preview}
              defaultStyle={DEFAULT_OUTPUT.style as RedactionStyle}
              onFrame={(f, shown) => {
                if (playing) coverage.moved(shown?.from ?? frame, f, { kind: 'play', rate, reverse, presentedAll: shown?.presentedAll ?? false });
                setFrame(f);
              }}
              onEnded={() => setPlaying(false)}
              onSelect={setSelectedId}
              onBoxChange={(id, box) => void run(() => setBoxAtFrame(id, frame, box, userName))}
              provisional={provisional}
              marks={leakMarks}
              zoom={videoZoom}
              onZoom={setVideoZoom}
              hideDecided={hideDecided}
              audioRanges={session.edits.audio}
              onDraw={(box) => {
                setDrawing(false);
                // A drawn region is a decision to redact, so it takes the reason to redact as chosen.
                const problem = reasonProblem(reasons, redactReason.code, redactReason.text);
                if (problem) return setError(`Region not added: ${problem}.`);
                const last = outPoint !== null && outPoint > frame ? outPoint : Math.min(frameCount - 1, frame + Math.round(fps * 2));
                const cmd = addManualTrack({ shape, box, first: frame, last, createdBy: userName, ...reasonFields(reasons, redactReason) });
                void run(() => cmd);
                setSelectedId(cmd.changedTrackIds[0] ?? null);
              }}
            />
          ) : (
            <div className="player placeholder">
              {running('proxy') ? 'Making a playable copy…' : proxyStopped ? <button onClick={() => { setProxyStopped(false); setError(null); setProxyAttempt((n) => n + 1); }} data-testid="make-proxy">Make a playable copy</button> : 'Loading…'}
            </div>
          )}
          <div className="transport">
            <TimecodeField seconds={time} frameTimes={facts.frameTimes} open={goingTo} onOpen={() => setGoingTo(true)} onClose={() => setGoingTo(false)} onGo={seek} onError={setError} />
            <span className="frame-number" data-testid="frame-number">frame {frame} / {frameCount - 1}</span>
            <label className="muted">
              lanes{' '}
              <select value={laneOrder} onChange={(e) => (setLaneOrder(e.target.value as LaneOrder), e.target.blur())} data-testid="lane-order" title="Order of the region lanes on the timeline">
                <option value="added">as added</option>
                <option value="first-frame">by first frame</option>
                <option value="decision">by decision</option>
              </select>
            </label>
            {inPoint !== null && <span data-testid="in-point">in {inPoint}</span>}
            {outPoint !== null && <span data-testid="out-point">out {outPoint}</span>}
            {(inPoint !== null || outPoint !== null) && (
              <button onClick={() => (setInPoint(null), setOutPoint(null))} title="Clear the in and out points (Ctrl+Shift+X)" data-testid="clear-marks">
                clear in/out
              </button>
            )}
          </div>
        </div>
        <Splitter size={timelineHeight} onResize={setTimelineHeight} label="Timeline height" />
        <Timeline
          height={timelineHeight}
          numbers={numbers}
          crops={crops}
          frame={frame}
          tracks={laneTracks}
          selectedId={selectedId}
          view={view}
          fps={fps}
          peaks={peaks}
          thumbs={thumbs}
          frameTimes={facts.frameTimes}
          audio={session.edits.audio as AudioRedaction[]}
          selectedAudioId={selectedAudioId}
          onSelectAudio={(id) => {
            setSelectedAudioId(id);
            if (id) setSelectedId(null);
          }}
          onAudioRange={(start, end) => {
            const problem = reasonProblem(reasons, audioReason.code, audioReason.text);
            if (problem) return setError(`Audio range not added: ${problem}.`);
            void run(() => addAudioRange({ id: newId('audio'), start: round3(start), end: round3(Math.min(end, facts.durationSeconds)), mode: audioMode, ...reasonFields(reasons, audioReason), decidedBy: userName }));
          }}
          inPoint={inPoint}
          outPoint={outPoint}
          unwatched={unwatched}
          onSeek={seek}
          onSpanChange={(id, first, last) => void run(() => setSpan(id, first, last, userName))}
          secondId={secondId}
          onSelect={(id, additive) => {
            if (additive && selectedId && id !== selectedId) return setSecondId(id);
            setSecondId(null);
            setSelectedId(id);
          }}
          onView={setView}
          provisional={provisional}
        />
        </div>
        <div className="side">
        <aside className="inspector" data-testid="inspector">
          {leaks && <LeakFindings findings={leaks} frameTimes={facts.frameTimes} onShow={seek} onDismiss={() => setLeaks(null)} />}
          {(() => {
            const a = session.edits.audio.find((x) => x.id === selectedAudioId);
            if (!a) return null;
            const other = a.mode === 'mute' ? 'bleep' : 'mute';
            return (
              <div className="selected">
                <p className="muted" data-testid="selected-audio">Audio {a.mode} {a.start}–{a.end} s. Reason: {describeReason(reasons, a.reason, a.reasonText)}</p>
                <button
                  onClick={() => {
                    // The reason chosen beside the audio tool, as a new range would take it.
                    const problem = reasonProblem(reasons, audioReason.code, audioReason.text);
                    if (problem) return setError(`Audio reason not changed: ${problem}.`);
                    const { reason, reasonText } = reasonFields(reasons, audioReason);
                    void run(() => setAudioRangeReason(a.id, reason, reasonText, userName));
                  }}
                  title="Give this range the audio reason chosen in the toolbar"
                  data-testid="audio-apply-reason"
                >
                  Use toolbar reason
                </button>{' '}
                <button onClick={() => void run(() => updateAudioRange(a.id, { mode: other, decidedBy: userName }))} data-testid="audio-switch-mode">
                  Make it a {other}
                </button>
              </div>
            );
          })()}
          <h3>Regions ({tracks.length}) <span className="muted">· {undecided.length} undecided</span></h3>
          {provisional.length > 0 && <p className="muted" data-testid="provisional-count">{provisional.length} found so far (provisional until detection ends)</p>}
          {selected ? (
            <div className="selected" data-testid="selected-track">
              <div>
                <b>{selected.label}</b> <span className={`badge ${selected.decision}`}>{selected.decision}</span>
              </div>
              <div className="muted">{selected.provenance.origin}, {selected.keyframes.length} keyframes · {(() => {
                // In the frame's own pixels: the part of the box inside the picture (a proposal may reach past the edge).
                const raw = boxAtFrame(selected, frame);
                const b = raw && intersection(raw, { x: 0, y: 0, w: facts.video.width, h: facts.video.height });
                return <span data-testid="selected-box">{b ? `${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.w)}×${Math.round(b.h)}` : raw ? 'outside the picture at this frame' : 'not shown at this frame'}</span>;
              })()}</div>
              <div className="muted" data-testid="selected-reason">Reason: {describeReason(reasonsForDecision(reasons, selected.decision), selected.reason, selected.reasonText)}</div>
              {/* A region already decided takes a new reason for its decision at once (recorded as a decision); otherwise the reason waits for Redact or Keep. */}
              <ReasonPicker list={reasons} value={redactReason} onChange={setRedactReason} onCommit={(c) => selected.decision === 'redact' && (c.code !== selected.reason || c.text.trim() !== (selected.reasonText ?? '')) && decide([selected.id], 'redact', c)} label="Reason to redact" testId="reason" />
              <ReasonPicker list={KEEP_REASONS} value={keepReason} onChange={setKeepReason} onCommit={(c) => selected.decision === 'keep' && (c.code !== selected.reason || c.text.trim() !== (selected.reasonText ?? '')) && decide([selected.id], 'keep', c)} label="Reason to keep" testId="keep-reason" />
              {/* Subject access: the requester is shown in a subject access export, everyone else hidden. */}
              <div className="row wrap">
              <label title="In a subject access export this region is shown and everyone else hidden">
                <input type="checkbox" checked={selected.requester === true} onChange={(e) => void run(() => setRequester(selected.id, e.target.checked, userName))} data-testid="requester" /> Requester (subject access)
              </label>
              <label>
                Style{' '}
                <select
                  value={selected.style?.kind ?? 'default'}
                  onChange={(e) => {
                    const k = e.target.value;
                    e.target.blur();
                    void run(() => setStyle(selected.id, k === 'default' ? null : k === 'solid' ? { kind: 'solid', fill: '#000000' } : { kind: k as 'blur' | 'pixelate' }, userName));
                  }}
                  data-testid="track-style"
                >
                  <option value="default">export default</option>
                  <option value="blur">blur</option>
                  <option value="pixelate">pixelate</option>
                  <option value="solid">solid black</option>
                </select>
              </label>
              </div>
              {(inPoint !== null || outPoint !== null) && (
                <button onClick={() => void run(() => setSpan(selected.id, inPoint ?? 0, outPoint ?? frameCount - 1, userName))}>
                  Span to in/out ({inPoint ?? 0}–{outPoint ?? frameCount - 1})
                </button>
              )}
              <div className="row wrap region-actions">
                <button onClick={() => decide([selected.id], 'redact')} data-testid="accept">Redact (A)</button>
                <button onClick={() => decide([selected.id], 'keep')} data-testid="reject">Keep (R)</button>
                <button onClick={() => void followSelected('back')} disabled={!!running('track') || !boxAtFrame(selected, frame)} title="Follow this region's content back from this frame, until it is lost or a shot cut" data-testid="track-back">◀ Track back</button>
                <button onClick={() => void followSelected('forward')} disabled={!!running('track') || !boxAtFrame(selected, frame)} title="Follow this region's content forward from this frame, until it is lost or a shot cut" data-testid="track-forward">Track forward ▶</button>
                <button onClick={() => void run(() => splitTrack(selected.id, frame, userName))}>Split here (S)</button>
                <button onClick={() => { setSelectedId(null); void run(() => deleteTrack(selected.id)); }}>Delete</button>
              </div>
              {trackNote && <p className="muted" data-testid="track-note">{trackNote}</p>}
              {secondId && tracks.some((t) => t.id === secondId) ? (
                <button onClick={() => { const b = secondId; setSecondId(null); void run(() => mergeTracks(selected.id, b, userName)); }} data-testid="merge">
                  Merge with the Shift-selected region
                </button>
              ) : (
                <p className="muted">Shift-click another lane to merge it into this one.</p>
              )}
            </div>
          ) : (
            <p className="muted">Select a region on the video or the timeline.</p>
          )}
          {undecided.length > 0 && (
            <div className="row">
              <button onClick={() => decide(undecided.map((t) => t.id), 'redact')} data-testid="accept-all">Redact all undecided</button>
              <button onClick={() => decide(undecided.map((t) => t.id), 'keep')} data-testid="reject-all">Keep all undecided</button>
            </div>
          )}
        </aside>
        <Gallery
          cards={cards}
          crops={crops}
          msPerCrop={msPerCrop}
          frameTimes={facts.frameTimes}
          currentId={selectedId}
          candidates={candidates}
          kind={kind}
          onKind={setKind}
          alike={alike}
          onOpen={(c) => {
            setSecondId(null);
            setSelectedAudioId(null);
            setSelectedId(c.id);
            seek(c.bestFrame);
          }}
          onRedact={(ids) => void decide(ids, 'redact')}
          onKeep={(ids) => void decide(ids, 'keep', bulkKeepReason)}
          onMerge={(ids) => void run(() => mergeMany(ids, userName))}
          onDelete={(ids) => {
            if (selectedId && ids.includes(selectedId)) setSelectedId(null);
            void run(() => deleteTracks(ids));
          }}
          keepReason={<ReasonPicker list={KEEP_REASONS} value={bulkKeepReason} onChange={setBulkKeepReason} label="keep as" testId="gallery-keep-reason" />}
        />
        </div>
      </div>
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
      {exporting.open && (
        <ExportDialog
          suggestedName={clip.name.replace(/\.[^.]+$/, '') + '.redacted.mp4'}
          undecided={undecided}
          summary={exportSummary(tracks, session.edits.audio, coverage.watched, frameCount, reasons)}
          inPoint={inPoint}
          outPoint={outPoint}
          frameCount={frameCount}
          watched={coverage.watched}
          busy={!!exporting.jobId}
          progress={exporting.jobId ? jobs.find((j) => j.jobId === exporting.jobId) ?? null : null}
          result={exporting.result}
          error={exporting.error}
          disclosure={disclosure}
          requesters={tracks.filter((t) => t.requester).map((t) => t.id)}
          hasAudio={facts.hasAudio}
          chooseOutput={async (name) => (await call('chooseExportPath', { suggestedName: name })).path}
          onExport={doExport}
          onCancel={() => exporting.jobId && cancelJob(exporting.jobId)}
          onShowInFolder={(path) => void call('showInFolder', { path }).catch((err) => setError(errorMessage(err)))}
          onClose={() => setExporting({ open: false, jobId: null, error: null, result: null })}
        />
      )}
    </div>
  );
}

/** The timeline's height: as the reviewer last set it (kept while the app runs), within the window. */
let chosenTimelineHeight: number | null = null;
function useTimelineHeight(): [number, (px: number) => void] {
  const [windowHeight, setWindowHeight] = useState(() => window.innerHeight);
  const [height, setHeight] = useState(() => chosenTimelineHeight ?? defaultTimelineHeight(window.innerHeight));
  useEffect(() => {
    const onResize = () => setWindowHeight(window.innerHeight);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const set = useCallback((px: number) => {
    const h = clampTimelineHeight(px, window.innerHeight);
    chosenTimelineHeight = h;
    setHeight(h);
  }, []);
  return [clampTimelineHeight(height, windowHeight), set];
}
