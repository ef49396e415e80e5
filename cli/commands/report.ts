import { basename } from 'node:path';
import { UserError } from '../../engine/errors';
import { AtomicOutput, checkOutputPath, writeFileAtomically, type OutputRules } from '../../engine/export/output-file';
import { renderDisclosureHtml } from '../../engine/report/disclosure-html';
import { readReport, sealHolds } from '../../engine/report/export-report';
import { findChromium, printPdf } from '../../engine/report/pdf';
import { EXIT } from '../exit-codes';
import { UsageError, writeJson, type CommandContext } from '../context';
import { onePositional, parseCommandArgs } from '../options';

export const usage = 'redactor report <out.mp4.report.json> [-o <report.html>] [--pdf [--pdf-output <report.pdf>]] [--force]';

/** The human-readable disclosure report (HTML, and PDF where a Chromium is installed) from the JSON report. */
export async function run(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    output: { type: 'string', short: 'o' },
    pdf: { type: 'boolean' },
    'pdf-output': { type: 'string' },
    force: { type: 'boolean' },
  });
  const reportPath = onePositional(positionals, 'report (.report.json)');
  if (!reportPath.endsWith('.json')) throw new UsageError('give the JSON report written beside the export (<out.mp4>.report.json)');
  const report = readReport(reportPath);
  // The court reads this page as the record: it is never made from a report changed since the export.
  if (!sealHolds(reportPath, report)) {
    throw new UserError('verify', `${basename(reportPath)} was changed after it was written (its seal does not hold): no disclosure report made from it. Run redactor verify on the export.`);
  }
  const htmlPath = values.output ?? reportPath.replace(/\.json$/, '.html');
  const pdfPath = values['pdf-output'] ?? htmlPath.replace(/\.html?$/, '') + '.pdf';
  // Neither page may replace the record it shows, the export or its original, even with --force.
  const rules: OutputRules = { protect: [reportPath, report.input.path, report.output.path], overwrite: values.force };
  checkOutputPath(htmlPath, rules);
  if (values.pdf) checkOutputPath(pdfPath, rules);
  writeFileAtomically(htmlPath, renderDisclosureHtml(report, { reportFileName: basename(reportPath) }), rules);
  let pdf: string | null = null;
  let pdfSkipped: string | null = null;
  if (values.pdf) {
    const chromium = findChromium();
    if (chromium) {
      const out = new AtomicOutput(pdfPath, rules);
      try {
        await printPdf(htmlPath, out.tempPath, { chromium, signal: ctx.signal });
        out.commit();
      } finally {
        out.discard();
      }
      pdf = pdfPath;
    } else pdfSkipped = 'no Chromium found (install chromium, or set REDACTOR_CHROMIUM); the HTML report prints the same from any browser';
  }
  if (ctx.json) writeJson(ctx, { html: htmlPath, pdf, pdfSkipped });
  else {
    ctx.stdout.write(`wrote ${htmlPath}\n`);
    if (pdf) ctx.stdout.write(`wrote ${pdf}\n`);
    if (pdfSkipped) ctx.stderr.write(`redactor: PDF skipped: ${pdfSkipped}\n`);
  }
  return EXIT.ok;
}
