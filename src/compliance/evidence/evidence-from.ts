/**
 * Where an evidence run reads its attempts: an outcomes file, a campaign's calls in a window, or
 * one pushed list's dials (make.ts runs it; manifest-of.ts names it in the manifest). A type of its
 * own so the two do not import each other.
 */
export type EvidenceFrom =
  | { file: string }
  | { campaignId: string; fromMs: number; toMs: number }
  | { listId: string };
