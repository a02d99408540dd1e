/** Message-IDs as In-Reply-To and References hold them: `<local@domain>`, angle brackets kept, nothing else let through. */
const MESSAGE_ID = /<[^<>\s]+>/g;

/** The ids in a header's text or list of texts, in order. */
export function messageIdsIn(value: string | readonly string[] | undefined): string[] {
  const text = typeof value === 'string' ? value : (value ?? []).join(' ');
  return text.match(MESSAGE_ID) ?? [];
}
