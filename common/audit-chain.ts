import { z } from 'zod';
import { canonicalJson } from './canonical-json';
import { sha256Text } from './sha256';

/**
 * The audit trail: every action on a case appended as an event, each event hash-chained to the one
 * before (ACPO principle 3: a record of all processes applied, which a third party can examine).
 *
 * `hash` is the SHA-256 of the canonical JSON of every other field, `prevHash` is the previous
 * event's hash (GENESIS for the first). Changing any field of any event breaks its own hash; removing,
 * reordering or inserting events breaks the sequence numbers or the links. Rewriting the whole chain
 * consistently from some point on is only detectable against an anchor recorded elsewhere: export
 * reports and case files record the chain's head (`AuditHead`), and `verifyChain` checks it.
 */
export const AUDIT_GENESIS = '0'.repeat(64);

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
const text = z.string().max(10_000);

/** Payload of each event type. Required fields are the evidential minimum; extra detail is kept. */
export const auditPayloadSchemas = {
  /** A case was created or opened from a case file. */
  /** `retention`: how long the case is kept changed (from, to, reason); added later, so older trails still verify. */
  case: z.looseObject({ action: z.enum(['created', 'imported', 'exported', 'retention']), reference: text }),
  /** A clip was added to the case: what file, and its hash at that moment. */
  import: z.looseObject({ clipId: text, path: text, name: text, size: z.number().int().min(0), sha256: sha256Hex }),
  /** Automatic detection ran: which model (by hash) and with which settings. */
  detection: z.looseObject({ clipId: text, model: text, modelSha256: sha256Hex.optional(), settings: z.unknown(), tracks: z.number().int().min(0) }),
  /** One edit, with the state before and after (null where the object did not exist). */
  edit: z.looseObject({ clipId: text, target: text, command: text, before: z.unknown(), after: z.unknown() }),
  /** A person decided about a proposal (redact or keep), with the reason. */
  decision: z.looseObject({ clipId: text, trackId: text, decision: z.enum(['proposed', 'redact', 'keep']), reason: text, reasonText: text.optional() }),
  /** Frames watched by the reviewer (intervals of frame indices), or the confirmation to export anyway. */
  review: z.looseObject({ clipId: text }),
  /** An export was written: input and output hashes, the report's seal. */
  export: z.looseObject({ clipId: text, inputSha256: sha256Hex, outputPath: text, outputSha256: sha256Hex, reportSealDigest: sha256Hex.optional() }),
  /** Someone verified an export, a bundle or a case, and with what result. */
  verification: z.looseObject({ target: text, intact: z.boolean(), detail: text.optional() }),
} as const;

export type AuditEventType = keyof typeof auditPayloadSchemas;
export const AUDIT_EVENT_TYPES = Object.keys(auditPayloadSchemas) as AuditEventType[];
export type AuditPayload<T extends AuditEventType> = z.infer<(typeof auditPayloadSchemas)[T]>;

const eventShape = {
  seq: z.number().int().min(1),
  /** ISO 8601, UTC. */
  time: z.string().max(40),
  /** User name (preferences; default the OS user). */
  user: z.string().min(1).max(200),
  toolVersion: z.string().min(1).max(100),
  type: z.enum(AUDIT_EVENT_TYPES as [AuditEventType, ...AuditEventType[]]),
  payload: z.record(z.string(), z.unknown()),
  prevHash: sha256Hex,
  hash: sha256Hex,
};

/** Shape only: whether the chain is intact is `verifyChain`'s job, so a tampered trail still loads. */
export const auditEventSchema = z.object(eventShape).strict();
export const auditTrailSchema = z.array(auditEventSchema).max(10_000_000);
export const auditHeadSchema = z.object({ seq: z.number().int().min(0), hash: sha256Hex }).strict();

export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditHead = z.infer<typeof auditHeadSchema>;

export interface NewAuditEvent<T extends AuditEventType = AuditEventType> {
  type: T;
  payload: AuditPayload<T>;
  user: string;
  toolVersion: string;
  /** Defaults to now. */
  time?: string;
}

/** The hash of an event: SHA-256 of the canonical JSON of every field but `hash`. */
export function hashEvent(event: Omit<AuditEvent, 'hash'> & { hash?: string }): Promise<string> {
  const { hash: _ignored, ...rest } = event;
  return sha256Text(canonicalJson(rest));
}

/** The last event's sequence number and hash; seq 0 and GENESIS for an empty trail. */
export function chainHead(chain: readonly AuditEvent[]): AuditHead {
  const last = chain[chain.length - 1];
  return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: AUDIT_GENESIS };
}

/**
 * Returns a new trail with the event appended (the input is not modified). The payload is checked
 * against its type's schema, so an event missing its evidential minimum is never recorded.
 */
export async function appendEvent<T extends AuditEventType>(chain: readonly AuditEvent[], input: NewAuditEvent<T>): Promise<AuditEvent[]> {
  const parsed = auditPayloadSchemas[input.type].safeParse(input.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`audit event '${input.type}' is missing evidence: ${issue?.path.join('.') || 'payload'}: ${issue?.message}`);
  }
  const head = chainHead(chain);
  // A JSON round trip: what is hashed is exactly what a file will hold (no undefined, no class instances).
  const body = JSON.parse(
    JSON.stringify({
      seq: head.seq + 1,
      time: input.time ?? new Date().toISOString(),
      user: input.user,
      toolVersion: input.toolVersion,
      type: input.type,
      payload: parsed.data,
      prevHash: head.hash,
    }),
  ) as Omit<AuditEvent, 'hash'>;
  return [...chain, { ...body, hash: await hashEvent(body) }];
}

export type ChainProblem = 'changed' | 'removed' | 'reordered' | 'inserted' | 'truncated' | 'malformed';

export type ChainVerdict =
  | { intact: true; events: number; head: AuditHead }
  | {
      intact: false;
      events: number;
      /** Position in the array of the first event found wrong (the array's length for a missing tail). */
      index: number;
      /** That event's sequence number, where it has one. */
      seq: number | null;
      problem: ChainProblem;
      detail: string;
    };

/**
 * Checks a trail: every event's own hash, the sequence numbers, and every link. Stops at the first
 * fault and says exactly which event is wrong and how. With `anchor` (the head recorded in a report
 * or case file) it also catches a trail cut short or rewritten from some event on.
 */
export async function verifyChain(input: unknown, anchor?: AuditHead): Promise<ChainVerdict> {
  if (!Array.isArray(input)) return fault(0, 0, null, 'malformed', 'the audit trail is not a list of events');
  const events = input.length;
  let prevHash = AUDIT_GENESIS;
  const seqs = input.map((e) => (e && typeof e === 'object' && typeof (e as AuditEvent).seq === 'number' ? (e as AuditEvent).seq : null));
  for (let i = 0; i < events; i++) {
    const parsed = auditEventSchema.safeParse(input[i]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fault(events, i, seqs[i] ?? null, 'malformed', `event at position ${i + 1} is not a valid event (${issue?.path.join('.') || 'event'}: ${issue?.message})`);
    }
    const e = parsed.data;
    const expectedSeq = i + 1;
    if ((await hashEvent(e)) !== e.hash) {
      return fault(events, i, e.seq, 'changed', `event #${e.seq} (${e.type}, ${e.time}, ${e.user}) was changed after it was recorded: its contents do not match its hash`);
    }
    if (e.seq !== expectedSeq) {
      if (e.seq < expectedSeq) {
        return fault(events, i, e.seq, 'inserted', `an event numbered #${e.seq} (${e.type}, ${e.time}, ${e.user}) was inserted after event #${expectedSeq - 1}`);
      }
      if (seqs.slice(i + 1).includes(expectedSeq)) {
        return fault(events, i, e.seq, 'reordered', `event #${e.seq} (${e.type}) stands where event #${expectedSeq} should be; #${expectedSeq} comes later: the events were reordered`);
      }
      const missing = e.seq - 1 === expectedSeq ? `#${expectedSeq} is` : `#${expectedSeq}–#${e.seq - 1} are`;
      return fault(events, i, e.seq, 'removed', `event ${missing} missing: the trail jumps to #${e.seq} (${e.type})`);
    }
    if (e.prevHash !== prevHash) {
      return fault(events, i, e.seq, i === 0 ? 'removed' : 'inserted', i === 0
        ? `event #1 does not start the trail (its link points to an earlier event): events before it were removed`
        : `event #${e.seq} (${e.type}) does not follow event #${e.seq - 1}: one of them was replaced or inserted`);
    }
    prevHash = e.hash;
  }
  const head = chainHead(input as AuditEvent[]);
  if (anchor && (anchor.seq !== head.seq || anchor.hash !== head.hash)) {
    const recorded = (input as AuditEvent[]).find((e) => e.seq === anchor.seq);
    if (recorded && recorded.hash === anchor.hash) {
      // The anchor is inside the trail: later events were added since, which is normal.
    } else if (anchor.seq > head.seq) {
      return fault(events, events, null, 'truncated', `the trail ends at event #${head.seq}, but the record says it reached #${anchor.seq}: events #${head.seq + 1}–#${anchor.seq} were removed`);
    } else {
      return fault(events, anchor.seq - 1, anchor.seq, 'changed', `event #${anchor.seq} is not the one recorded (hash ${recorded?.hash.slice(0, 12) ?? 'none'}…, recorded ${anchor.hash.slice(0, 12)}…): the trail was rewritten from there on`);
    }
  }
  return { intact: true, events, head };
}

function fault(events: number, index: number, seq: number | null, problem: ChainProblem, detail: string): ChainVerdict {
  return { intact: false, events, index, seq, problem, detail };
}
