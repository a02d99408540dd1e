/**
 * The glue between Dovecot's login and the token check. Dovecot 2.3's XOAUTH2 and OAUTHBEARER
 * mechanisms hand the bearer token to the passdb as a plain password, so a passdb may judge
 * it. A checkpassword passdb cannot: Dovecot refuses user+password longer than 512 bytes
 * ("Username+password combination too long"), and a JWT is longer. The Lua passdb has no such
 * limit and sees the SASL user, service and mechanism; it pipes the token to the Node check on
 * stdin (never on a command line, where `ps` would show it).
 */
import { writeFileSync } from 'node:fs';

export interface TokenCheckCommand {
  node: string;
  script: string;
  settingsFile: string;
}

/** Fields given to Dovecot with every accepted login, e.g. `userdb_imap_capability`. */
export type LoginFields = Record<string, string>;

const lua = (value: string) => JSON.stringify(value);

export function writePassdbScript(file: string, command: TokenCheckCommand, acceptedFields: LoginFields = {}): void {
  const fields = Object.entries(acceptedFields).map(([key, value]) => `[${lua(key)}] = ${lua(value)}`).join(', ');
  writeFileSync(file, `-- Written by test/sandbox/mail/passdb-lua.ts: asks the sandbox's token check about every login.
local NODE = ${lua(command.node)}
local CHECK = ${lua(command.script)}
local SETTINGS = ${lua(command.settingsFile)}
local ACCEPTED_FIELDS = { ${fields} }

local function quote(value)
  return "'" .. (string.gsub(value, "'", "'\\\\''")) .. "'"
end

function auth_password_verify(req, password)
  local line = table.concat({ quote(NODE), quote(CHECK), quote(SETTINGS),
    quote(req.user), quote(req.service), quote(req.mech) }, " ")
  local pipe = io.popen(line, "w")
  if pipe == nil then
    return dovecot.auth.PASSDB_RESULT_INTERNAL_FAILURE, "cannot run the token check"
  end
  pipe:write(password)
  local ok, how, code = pipe:close()
  if ok then
    return dovecot.auth.PASSDB_RESULT_OK, ACCEPTED_FIELDS
  end
  if how == "exit" and code == 1 then
    return dovecot.auth.PASSDB_RESULT_PASSWORD_MISMATCH, "token refused, reason in the token check log"
  end
  return dovecot.auth.PASSDB_RESULT_INTERNAL_FAILURE, "token check ended with " .. tostring(how) .. " " .. tostring(code)
end

function script_init()
  return 0
end
`);
}
