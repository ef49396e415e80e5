import { API, ApiError, apiEventSchema, type ApiEvent, type ApiMethod, type ApiRequest, type ApiResponse, type RedactorBridge } from '../../common/api';

/**
 * The renderer's side of the one API: typed calls over whatever transport sits on `window.redactor`
 * (Electron's preload, or the end-to-end harness). Responses are checked against the same schemas.
 */
declare global {
  interface Window {
    redactor?: RedactorBridge & { dropFiles?(files: File[]): void };
  }
}

function bridge(): RedactorBridge & { dropFiles?(files: File[]): void } {
  if (!window.redactor) throw new ApiError('internal', 'the app bridge is missing: open Evidence Redactor through its desktop app');
  return window.redactor;
}

export async function call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>> {
  const envelope = await bridge().invoke(method, request);
  if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message);
  return API[method].response.parse(envelope.value) as ApiResponse<M>;
}

/** Events are checked against the schema like responses; one that does not match is dropped. */
export function onApiEvent(listener: (event: ApiEvent) => void): () => void {
  return bridge().onEvent((event) => {
    const parsed = apiEventSchema.safeParse(event);
    if (parsed.success) listener(parsed.data);
    else console.warn(`dropped an event that does not match the API: ${parsed.error.issues[0]?.message ?? ''}`);
  });
}

export function dropFiles(files: File[]): void {
  bridge().dropFiles?.(files);
}

let counter = 0;
export function newJobId(kind: string): string {
  counter += 1;
  return `${kind}-${Date.now().toString(36)}-${counter}`;
}

/** Asks main to stop a job; one that has ended already (or never started) is not an error. */
export function cancelJob(jobId: string): void {
  void call('cancel', { jobId }).catch(() => {});
}

/** Messages for people: the API's errors are already one clear line. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
