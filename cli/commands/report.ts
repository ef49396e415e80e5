import { existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../../engine/errors';
import { renderDisclosureHtml } from '../../engine/report/disclosure-html';
import { readReport } from '../../engine/report/export-report';
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
  const htmlPath = values.output ?? reportPath.replace(/\.json$/, '.html');
  const pdfPath = values['pdf-output'] ?? htmlPath.replace(/\.html?$/, '') + '.pdf';
  for (const p of [htmlPath, ...(values.pdf ? [pdfPath] : [])]) {
    if (existsSync(p) && !values.force) throw new UserError('output', `${basename(p)} already exists (use --force to replace it)`);
  }
  writeFileSync(htmlPath, renderDisclosureHtml(report, { reportFileName: basename(reportPath) }));
  let pdf: string | null = null;
  let pdfSkipped: string | null = null;
  if (values.pdf) {
    const chromium = findChromium();
    if (chromium) {
      await printPdf(htmlPath, pdfPath, { chromium, signal: ctx.signal });
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
