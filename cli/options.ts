import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { RedactionStyle } from '../common/style';
import { parseHexColour } from '../common/style';
import { outputContainer, unsupportedOutputName } from '../engine/export/output-container';
import { UsageError } from './context';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into usage errors (exit 2). */
export function parseCommandArgs<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify.*$/, ''));
  }
}

export function onePositional(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `expected one ${what}, got ${positionals.length}` : `missing ${what}`);
  return positionals[0]!;
}

/** An export's -o, whose extension must name a container an export is written in: a usage mistake otherwise, said in one line before any work. */
export function exportOutputName(path: string): string {
  if (!outputContainer(path)) throw new UsageError(unsupportedOutputName(path), { withUsage: false });
  return path;
}

/** --style and --fill; --fill alone implies a solid fill. */
export function styleFromOptions(style: string | undefined, fill: string | undefined): RedactionStyle | undefined {
  if (fill !== undefined && !parseHexColour(fill)) throw new UsageError(`--fill must be a colour like '#FF00FF', not '${fill}'`);
  const normalisedFill = fill === undefined ? '#000000' : `#${fill.replace('#', '').toUpperCase()}`;
  switch (style) {
    case undefined:
      return fill === undefined ? undefined : { kind: 'solid', fill: normalisedFill };
    case 'solid':
      return { kind: 'solid', fill: normalisedFill };
    case 'blur':
    case 'pixelate':
      if (fill !== undefined) throw new UsageError('--fill applies only to --style solid');
      return { kind: style };
    default:
      throw new UsageError(`--style must be blur, pixelate or solid, not '${style}'`);
  }
}

/**
 * A number written in decimals (`12`, `-0.5`, `1e3`), else NaN. Number() alone also takes '' and
 * blanks (as 0), hex and binary (`0x10`): a typo must not pass as a value.
 */
export function decimal(text: string): number {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(text) ? Number(text) : NaN;
}

export function numberOption(value: string | undefined, name: string, range: { min: number; max: number; integer?: boolean }): number | undefined {
  if (value === undefined) return undefined;
  const n = decimal(value);
  if (!Number.isFinite(n) || n < range.min || n > range.max || (range.integer && !Number.isInteger(n))) {
    throw new UsageError(`${name} must be ${range.integer ? 'an integer' : 'a number'} from ${range.min} to ${range.max}, not '${value}'`);
  }
  return n;
}
