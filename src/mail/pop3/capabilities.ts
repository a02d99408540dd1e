/**
 * What a POP3 server says it can do (CAPA, RFC 2449): STLS, SASL mechanisms, TOP, UIDL.
 */
export interface Pop3Capabilities {
  /** False when the server refused CAPA: nothing is known, so every command is simply tried. */
  known: boolean;
  /** The capability lines as the server sent them. */
  lines: string[];
  stls: boolean;
  /** SASL mechanisms in upper case, e.g. `PLAIN`, `XOAUTH2`. */
  sasl: string[];
  top: boolean;
  uidl: boolean;
}

export const UNKNOWN_CAPABILITIES: Pop3Capabilities = { known: false, lines: [], stls: false, sasl: [], top: false, uidl: false };

export function parseCapabilities(lines: string[]): Pop3Capabilities {
  const words = lines.map((line) => line.trim().split(/\s+/));
  const names = new Set(words.map(([name]) => (name ?? '').toUpperCase()));
  const sasl = words.find(([name]) => name?.toUpperCase() === 'SASL')?.slice(1).map((m) => m.toUpperCase()) ?? [];
  return { known: true, lines, stls: names.has('STLS'), sasl, top: names.has('TOP'), uidl: names.has('UIDL') };
}
