const MASK = '***';

/** `scheme://user:password@host`: the userinfo goes. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** `Authorization: Bearer abc.def`, `Basic dXNlcjpwYXNz`. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi;

/**
 * `password=x`, `db.password: "x"`, `"client_secret": "x"`, `token=x`,
 * `apiKey=x`, `sasl.jaas.config=... password="x"`: the value goes, the key
 * stays so the message still says what was wrong.
 */
const SECRET_KEY_VALUE =
  /(["']?)([\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|credentials?)[\w.-]*)\1(\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&"'}\]]+)/gi;

/**
 * Masks credentials in a message that came from outside (a Spark driver's
 * error, a Kubernetes status) before it is stored, shown, logged or sent:
 * URL userinfo, bearer/basic authorization values and the values of
 * password/token/secret/key style settings.
 *
 * @public
 */
export function redactCredentials(message: string): string {
  return message
    .replace(URL_USERINFO, `$1${MASK}@`)
    .replace(AUTH_SCHEME, `$1 ${MASK}`)
    .replace(SECRET_KEY_VALUE, `$1$2$1$3${MASK}`);
}
