import { z } from 'zod';

/**
 * Reason codes: why a region or audio range is redacted. The list is configurable (a force may add
 * its own legal bases); the defaults follow the ICO's guidance on disclosing third parties. A code
 * with `needsText` (the default "other") is valid only with free text saying why.
 */
export const reasonCodeSchema = z
  .object({
    code: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be lowercase letters, digits and hyphens'),
    label: z.string().min(1).max(200),
    needsText: z.boolean(),
  })
  .strict();

export type ReasonCode = z.infer<typeof reasonCodeSchema>;

export const reasonListSchema = z
  .array(reasonCodeSchema)
  .min(1)
  .max(1000)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((r, i) => {
      if (seen.has(r.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `duplicate reason code ${r.code}` });
      seen.add(r.code);
    });
  });

export const DEFAULT_REASONS: readonly ReasonCode[] = Object.freeze([
  { code: 'third-party-face', label: 'Third-party face', needsText: false },
  { code: 'vehicle-registration', label: 'Vehicle registration', needsText: false },
  { code: 'personal-data-visual', label: 'Personal data on screen or document', needsText: false },
  { code: 'spoken-personal-data', label: 'Spoken personal data', needsText: false },
  { code: 'other', label: 'Other', needsText: true },
]);

/** The reason proposals carry until a person chooses one. */
export const DEFAULT_FACE_REASON = 'third-party-face';
export const DEFAULT_AUDIO_REASON = 'spoken-personal-data';

/**
 * Why a region is kept (a proposal rejected, not redacted). A fixed list, separate from the
 * configurable reasons to redact: keeping discloses, so its grounds are the same for every force.
 */
export const KEEP_REASONS: readonly ReasonCode[] = Object.freeze([
  { code: 'not-a-face', label: 'Not a face', needsText: false },
  { code: 'officer-on-duty', label: 'Officer on duty', needsText: false },
  { code: 'consent-given', label: 'Consent given', needsText: false },
  { code: 'public-interest', label: 'Public interest in disclosure', needsText: false },
  { code: 'other', label: 'Other', needsText: true },
]);

export const DEFAULT_KEEP_REASON = 'not-a-face';

/** The list a decision's reason comes from: the keep reasons for 'keep', else the configured reasons to redact. */
export function reasonsForDecision(reasons: readonly ReasonCode[], decision: 'proposed' | 'redact' | 'keep'): readonly ReasonCode[] {
  return decision === 'keep' ? KEEP_REASONS : reasons;
}

/** Null when `code` (with `text`) is acceptable under `reasons`, else a one-line problem. */
export function reasonProblem(reasons: readonly ReasonCode[], code: string, text?: string): string | null {
  const r = reasons.find((x) => x.code === code);
  if (!r) return `unknown reason code '${code}' (known: ${reasons.map((x) => x.code).join(', ')})`;
  if (r.needsText && !text?.trim()) return `reason '${r.label}' needs a free-text explanation`;
  return null;
}

/** Human wording for reports: "Other: bystander's tattoo", or the code itself if not in the list. */
export function describeReason(reasons: readonly ReasonCode[], code: string, text?: string): string {
  const label = reasons.find((x) => x.code === code)?.label ?? code;
  return text?.trim() ? `${label}: ${text.trim()}` : label;
}

/** Every region and audio range of a plan whose reason is not acceptable, with where it is (kept regions against KEEP_REASONS). */
export function planReasonProblems(
  reasons: readonly ReasonCode[],
  plan: {
    tracks: ReadonlyArray<{ id: string; reason: string; reasonText?: string; decision?: 'proposed' | 'redact' | 'keep' }>;
    audio: ReadonlyArray<{ id: string; reason: string; reasonText?: string }>;
  },
): string[] {
  const out: string[] = [];
  for (const t of plan.tracks) {
    const p = reasonProblem(reasonsForDecision(reasons, t.decision ?? 'redact'), t.reason, t.reasonText);
    if (p) out.push(`track ${t.id}: ${p}`);
  }
  for (const a of plan.audio) {
    const p = reasonProblem(reasons, a.reason, a.reasonText);
    if (p) out.push(`audio range ${a.id}: ${p}`);
  }
  return out;
}
