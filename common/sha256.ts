/**
 * SHA-256 of text, as lowercase hex, through WebCrypto: the same code runs in Node 20 and in the
 * renderer (Chromium), so the audit chain is computed identically in both processes.
 */
export async function sha256Text(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
