import type { Protocol, Security } from '../mail/server';

/**
 * The server presets an account starts from: Microsoft 365 and Outlook.com (Exchange Online's
 * hosts, ports and default tenant), or Custom (every host, port, TLS mode and identity platform
 * named in the account, for sovereign clouds and private servers).
 */
export type PresetId = 'microsoft365' | 'outlook' | 'custom';

export interface ServerSetting {
  host: string;
  port: number;
  security: Security;
}

export interface Preset {
  id: PresetId;
  label: string;
  description: string;
  /** The mail servers; Custom has none: the user gives every host and port. */
  servers?: Record<Protocol, ServerSetting>;
  tenant: string;
}

export const MICROSOFT_LOGIN = 'https://login.microsoftonline.com';
/** Exchange Online's resource for delegated scopes (`…/IMAP.AccessAsUser.All`). */
export const EXCHANGE_DELEGATED_RESOURCE = 'https://outlook.office.com';
/**
 * App-only `.default` resources: Microsoft's page ("Authenticate an IMAP, POP or SMTP connection
 * using OAuth") asks for outlook.office365.com for all three protocols; MailKit's guide uses
 * ps.outlook.com for IMAP/POP, which Exchange accepts too and `appOnlyResources` can still name.
 */
export const EXCHANGE_APP_ONLY_RESOURCES = { imapPop: 'https://outlook.office365.com', smtp: 'https://outlook.office365.com' };

export const PRESETS: Record<PresetId, Preset> = {
  microsoft365: {
    id: 'microsoft365',
    label: 'Microsoft 365',
    description: 'Work or school mailbox in Exchange Online',
    servers: {
      imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
      pop3: { host: 'outlook.office365.com', port: 995, security: 'tls' },
      smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
    },
    tenant: 'organizations',
  },
  outlook: {
    id: 'outlook',
    label: 'Outlook.com',
    description: 'Personal Microsoft account (outlook.com, hotmail.com, live.com)',
    servers: {
      imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
      pop3: { host: 'outlook.office365.com', port: 995, security: 'tls' },
      smtp: { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' },
    },
    tenant: 'consumers',
  },
  custom: {
    id: 'custom',
    label: 'Custom',
    description: 'Your own hosts, ports, identity platform and CA: sovereign clouds, test servers',
    tenant: 'organizations',
  },
};

export const PRESET_IDS = Object.keys(PRESETS) as PresetId[];

/** Domains of personal Microsoft accounts, to suggest the Outlook.com preset. */
const PERSONAL_DOMAINS = /@(outlook|hotmail|live|msn)\.[a-z.]+$/i;

export function suggestedPreset(address: string): PresetId {
  return PERSONAL_DOMAINS.test(address) ? 'outlook' : 'microsoft365';
}

/** The usual security of a mail port: TLS from the first byte on 993/995/465, STARTTLS elsewhere. */
export function usualSecurity(port: number): Security {
  return port === 993 || port === 995 || port === 465 ? 'tls' : 'starttls';
}
