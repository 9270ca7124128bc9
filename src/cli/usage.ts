/** The CLI's usage text, the error that prints it (exit code 64), and the exit codes of `passbook parse`. */
export const USAGE = `Usage:
  passbook parse FILE [--password P] [--bank ID] [--format json|csv]
  passbook parse FILE --insights [--password P] [--bank ID] [--rules FILE] [--employers NAME1,NAME2]
  passbook clients create --name NAME [--modes pdf,aa,online] [--plan active|expired] [--allowed-redirect-hosts h1,h2] [--frame-origins o1,o2]
  passbook clients list
  passbook clients get CLIENT_ID
  passbook clients update CLIENT_ID [--modes pdf,aa,online] [--plan active|expired] [--allowed-redirect-hosts h1,h2] [--frame-origins o1,o2]
  passbook clients rotate CLIENT_ID
  passbook users create --client CLIENT_ID --email EMAIL --name NAME --role admin|analyst [--password P]
  passbook users list --client CLIENT_ID
  passbook users disable USER_ID
  passbook users enable USER_ID
  passbook sessions reanalyse SESSION_ID
  passbook aa-sandbox [--port N] [--host H] [--fiu-url URL] [--keys FILE]
  passbook --help

clients create and clients update set a client's options (update: at least one of them; a list
option replaces the whole list, and '' empties it):
  --modes pdf,aa,online           the modes its sessions may use (default: all three)
  --plan active|expired           expired: its new sessions and uploads are refused (402)
  --allowed-redirect-hosts h1,h2  hosts a session's redirect_url may name: exact, or *.example.com
                                  for any sub-domain (default: none listed, any host)
  --frame-origins o1,o2           origins (scheme://host[:port], e.g. https://app.example.com) of
                                  the pages that embed the journey in an iframe: the journey posts
                                  its events to them as well as to the redirect_url's origin. '*'
                                  posts them to any page that frames it. The page may be framed by
                                  any site (Content-Security-Policy frame-ancestors *) either way.

parse prints a statement PDF as data; with --insights, the account's analysis as insights/
prints it (enrichment, salary, obligations, monthly analysis, predictors, fraud). Exit codes: 0 parsed, 2 missing or wrong password,
3 unsupported, image-only or unreadable file, 1 anything else.

users manages who may sign in to the lender console (/console) for a client: an admin (settings,
keys, users) or an analyst (read, download, replay). Without --password, create generates one and
prints it once; a password typed on the command line stays in the shell's history. disable ends
the user's sign-ins at once; enable lets them sign in again with the password they had.

sessions reanalyse runs enrichment and analysis again for a processed session, with the rules
the server would use (ENRICHMENT_RULES_FILE).

aa-sandbox runs the sandbox Account Aggregator and FIP on a server of their own (development and
tests only; default 127.0.0.1:8090, --port 0 picks a free port) until SIGINT or SIGTERM. On start
it prints, once, the environment a Passbook server needs to use it as its AA, as NAME=value lines
for an env file (AA_BASE_URL, AA_ID, AA_API_KEY, AA_NOTIFICATION_API_KEY, AA_PUBLIC_KEY, AA_HANDLE,
FIU_ID, FIU_SIGNING_KEY, FIU_SIGNING_KEY_ID, AA_DATA_KEY, AA_CONSENT_URL), then a # line with where
it listens. That output holds the FIU's private key and the api keys: printing them is the point of
the command, so treat it as a secret. --fiu-url is where the FIU serves /Consent/Notification and
/FI/Notification (for Passbook, <PUBLIC_URL>/aa); without it no notifications are sent. --keys FILE
keeps the keys and secrets in FILE (created 0600 when missing, reused when present), so that a
restarted sandbox still matches a configured Passbook. Consents and sessions live in memory.

The clients, users and sessions commands use the store the server uses: DATABASE_URL when set, else the embedded store in DATA_DIR.
The api_key and server_hash are printed only by create and rotate.`;

export class UsageError extends Error {}

export const CLIENT_COMMANDS = ['create', 'list', 'get', 'update', 'rotate'] as const;
export type ClientsCommand = (typeof CLIENT_COMMANDS)[number];

export const USERS_COMMANDS = ['create', 'list', 'disable', 'enable'] as const;
export type UsersCommand = (typeof USERS_COMMANDS)[number];

/** Exit codes of `passbook parse`, by error code. */
export const PARSE_EXIT: Partial<Record<string, number>> = {
  PASSWORD_INCORRECT: 2,
  STATEMENT_UNSUPPORTED_FORMAT: 3,
  PDF_IS_IMAGE: 3,
  INVALID_FILE_OBJECT: 3,
  EMPTY_FILE: 3,
};
