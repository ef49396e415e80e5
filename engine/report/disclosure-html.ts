import type { ExportReport } from './export-report';
import { countOf } from '../../common/count-of';

/**
 * The disclosure report as one self-contained HTML page (inline styles, no scripts, no remote
 * resources), printable on A4, generated from the sealed JSON report. It states where the JSON is and
 * how to verify it: the JSON is the record, this page is its reading.
 */
const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const row = (label: string, value: unknown, mono = false) => `<tr><th>${esc(label)}</th><td${mono ? ' class="mono"' : ''}>${esc(value)}</td></tr>`;

function table(headers: string[], rows: unknown[][], empty: string): string {
  if (!rows.length) return `<p class="none">${esc(empty)}</p>`;
  return `<table class="list"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const percent = (share: number | null | undefined) => (share === null || share === undefined ? 'not recorded' : `${(share * 100).toFixed(1)}%`);

export function renderDisclosureHtml(report: ExportReport, options: { reportFileName?: string } = {}): string {
  const d = report.disclosure;
  const review = report.review;
  const leak = report.leakCheck;
  const redactions = report.redactions ?? [];
  const audio = report.audioRedactions ?? [];
  const title = `Disclosure report: ${report.output.name}`;
  const sections: string[] = [];

  sections.push(`<h2>1. Case and clip</h2><table class="facts">${[
    row('Case reference', d?.caseReference ?? 'not given'),
    row('Operator', d?.operator ?? 'not recorded'),
    row('Disclosed to', d?.recipient ?? 'not recorded'),
    row('Purpose of disclosure', d?.purpose ?? 'not recorded'),
    row('Exported', `${report.startedAt} to ${report.finishedAt} (UTC)`),
    row('Original clip', `${report.input.name} (${report.input.size} bytes)`),
    row('Original path', report.input.path, true),
    row('Original SHA-256', report.input.sha256, true),
    row('Redacted copy', `${report.output.name} (${report.output.size} bytes, ${countOf(report.output.frameCount, 'frame')}, ${report.output.width}×${report.output.height})`),
    row('Redacted copy SHA-256', report.output.sha256, true),
    row('Frames exported', report.plan.trim ? `source frames ${report.plan.trim.startFrame}–${report.plan.trim.endFrame}` : 'the whole clip'),
    row('Audio', report.output.audio),
  ].join('')}</table>`);

  const sa = report.subjectAccess;
  if (sa) {
    const sound =
      sa.sound.kept === 'no sound'
        ? 'the source has no sound'
        : sa.sound.kept === 'all'
          ? `all of it kept, because: "${sa.sound.reason}"`
          : sa.sound.speech.length
            ? `kept only in the requester's speech: ${sa.sound.speech.map((r) => `${r.start}–${r.end}`).join(', ')}; silenced elsewhere`
            : 'none kept (no stretch was marked as the requester\'s speech)';
    sections.push(
      `<h2>Subject access</h2><p>This copy answers a subject access request: it shows the requester and hides everyone else.</p><table class="facts">${[
        row('Request reference', sa.requestRef),
        row('Mode', sa.mode === 'everything-else' ? 'everything else hidden: the whole picture outside the requester\'s regions' : 'everyone else hidden: every other region, whatever its decision'),
        row("Requester's regions", sa.requesterRegions.map((q) => `${q.trackId} (frames ${q.firstFrame ?? '?'}–${q.lastFrame ?? '?'})`).join('; ')),
        row('Padding', sa.padding ? `${Math.round(sa.padding * 100)}% of each box at every side` : 'none'),
        row('Hidden', sa.hidden),
        row('Frames', `${sa.frames.exported} exported; the requester shows in ${sa.frames.withRequester}; ${sa.frames.redactedWhole} redacted whole`),
        row('Frames without the requester', sa.cut ? `cut: source frames ${sa.cut.from.startFrame}–${sa.cut.from.endFrame} exported as ${sa.cut.to.startFrame}–${sa.cut.to.endFrame} (${sa.cut.framesCut} frames left out)` : sa.absent === 'cut' ? 'none to cut at the ends' : 'kept, redacted'),
        row('Sound', sound),
      ].join('')}</table>`,
    );
  }

  sections.push(
    `<h2>2. Video redactions</h2><p>Time ranges are source frames and time codes (HH:MM:SS:FF, with media time). Every region not explicitly kept is redacted.</p>` +
      table(
        ['Region', 'What', 'Frames', 'From', 'To', 'Style', 'Decision', 'Reason', 'Decided by', 'Origin'],
        redactions.map((r) => [
          r.trackId,
          `${r.label} (${r.shape})`,
          r.firstFrame === null ? 'never shown' : `${r.firstFrame}–${r.lastFrame}`,
          r.start ?? '',
          r.end ?? '',
          r.requester ? 'requester: shown' : r.redacted ? r.style : 'not redacted',
          r.decision === 'proposed' ? 'undecided (redacted by default)' : r.decision,
          r.reasonLabel,
          r.decidedBy ? `${r.decidedBy}${r.decidedAt ? `, ${r.decidedAt}` : ''}` : 'nobody',
          r.origin === 'detected' ? `detector ${r.detector?.split(' ')[0] ?? ''}` : `manual${r.createdBy ? `, ${r.createdBy}` : ''}`,
        ]),
        'No video regions.',
      ),
  );

  sections.push(
    `<h2>3. Audio redactions</h2>` +
      table(['Range', 'From', 'To', 'Treatment', 'Reason', 'Decided by'], audio.map((a) => [a.id, a.start, a.end, a.mode, a.reasonLabel, a.decidedBy ?? 'not recorded']), 'No audio redactions.'),
  );

  sections.push(
    `<h2>4. Review coverage</h2>` +
      (review
        ? `<table class="facts">${[
            row('Frames watched', review.recorded ? `${review.framesWatched} of ${review.frameCount} (${percent(review.shareWatched)})` : 'not recorded (exported from the command line)'),
            row('Unwatched stretches (source frames)', review.unwatched.length ? review.unwatched.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(', ') : review.recorded ? 'none' : 'not recorded'),
            row('Proposals not decided', review.undecided.length ? review.undecided.map((u) => `${u.trackId} (${u.label}, frames ${u.firstFrame ?? '?'}–${u.lastFrame ?? '?'})`).join('; ') : 'none'),
            row('Review complete', review.complete ? 'yes' : 'no'),
            row('Confirmation to export', review.confirmation ? `"${review.confirmation.reason}" (${review.confirmation.by}, ${review.confirmation.at})` : 'none given'),
          ].join('')}</table>`
        : '<p class="none">Not recorded in this report.</p>'),
  );

  sections.push(
    `<h2>5. Leak check</h2>` +
      (leak
        ? `<p class="${leak.clean ? 'ok' : 'alert'}">${leak.clean ? 'Clean' : 'FACES DETECTED OUTSIDE REDACTED REGIONS'}: ${leak.framesChecked} output frames checked with ${esc(leak.model)}, score threshold ${leak.settings.scoreThreshold ?? 'default'}, every ${leak.settings.every} frame(s).</p>` +
          table(['Output frame', 'Source frame', 'Box (x, y, w, h)', 'Score', 'Share inside a region'], leak.leaks.slice(0, 200).map((l) => [l.outputFrame, l.sourceFrame, `${l.box.x}, ${l.box.y}, ${l.box.w}, ${l.box.h}`, l.score, l.coveredShare]), 'No leaks found.') +
          (leak.leakCount > 200 ? `<p>${leak.leakCount - 200} further detections are listed in the JSON report.</p>` : '') +
          (leak.insideKept ? `<p>${leak.insideKept} face detection(s) inside regions kept on purpose: shown by decision, not leaks.</p>` : '')
        : '<p class="none">Not run for this export.</p>'),
  );

  sections.push(
    `<h2>6. Tools, models and settings</h2><table class="facts">${[
      row('Tool', `${report.tool.name} ${report.tool.version}`),
      row('ffmpeg', `${report.settings.ffmpeg.version} (${report.settings.ffmpeg.path}, from ${report.settings.ffmpeg.from})`),
      ...(report.models ?? []).map((m) => row(`Model (${m.usedFor.join(', ')})`, `${m.name}, SHA-256 ${m.sha256}`, true)),
      row('Encoding', `x264 CRF ${report.settings.crf}, preset ${report.settings.preset}; default style ${JSON.stringify(report.settings.style)}`),
      row('Audit trail head', report.audit ? `event #${report.audit.head.seq}, ${report.audit.head.hash}` : 'not recorded'),
      row('Reason codes in use', (d?.reasons ?? []).map((r) => `${r.code} = ${r.label}`).join('; ') || 'not recorded'),
      ...(d?.keepReasons ? [row('Reasons to keep a region', d.keepReasons.map((r) => `${r.code} = ${r.label}`).join('; '))] : []),
    ].join('')}</table>`,
  );

  sections.push(
    `<h2>7. Exact commands</h2><p>Re-running these on the original reproduces the redacted copy (the middle step is this tool's own drawing of the regions listed above). A path ending in <code>.partial</code> is the hidden temporary file the output was written to, fsynced and then renamed to its final name; the detector's full settings are in the JSON report.</p>` +
      report.commands.map((c) => `<p class="role">${esc(c.role)}</p><pre>${esc(c.commandLine)}</pre>`).join(''),
  );

  if (report.warnings.length) sections.push(`<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);

  sections.push(
    `<h2>Integrity</h2><table class="facts">${[
      row('Report seal (SHA-256 of the JSON report)', report.seal.digest, true),
      row('JSON report', options.reportFileName ?? `${report.output.name}.report.json`),
    ].join('')}</table><p>To check that the redacted copy and the JSON report are exactly as recorded: <code>redactor verify ${esc(report.output.name)}</code>. This page is a reading of the JSON report; where they differ, the sealed JSON report is the record.</p>`,
  );

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>
@page { size: A4; margin: 15mm; }
body { font: 10pt/1.4 "DejaVu Sans", Arial, sans-serif; color: #000; max-width: 60em; margin: 1em auto; }
h1 { font-size: 15pt; margin-bottom: 0.2em; } h2 { font-size: 12pt; border-bottom: 1px solid #444; margin-top: 1.4em; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: 2px 5px; border: 1px solid #bbb; }
table.facts th { width: 30%; background: #f2f2f2; } table.list th { background: #f2f2f2; } table.list td { overflow-wrap: anywhere; } tr { page-break-inside: avoid; }
.mono, pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; word-break: break-all; white-space: pre-wrap; }
.none { color: #444; font-style: italic; } .alert { font-weight: bold; border: 2px solid #000; padding: 4px; } .ok { font-weight: bold; }
.role { margin: 0.6em 0 0.1em; font-weight: bold; }
</style></head>
<body>
<h1>${esc(title)}</h1>
<p>Case ${esc(d?.caseReference ?? 'not given')} · clip ${esc(report.input.name)} · operator ${esc(d?.operator ?? 'not recorded')} · produced by ${esc(report.tool.name)} ${esc(report.tool.version)}</p>
${sections.join('\n')}
</body></html>
`;
}
