/** A template rendered with sample data (a made-up user and token). */
export class EmailPreviewResponseDto {
  subject: string;
  /** null when the template has no HTML part. */
  html: string | null;
  /** null when the template has no text part. */
  text: string | null;
  /** The reset link; null for events without one. */
  link: string | null;
}
