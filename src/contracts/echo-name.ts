// A name the caller sent (a query parameter, a JSON key) may appear in an error message only when
// it is short and plain: a "name" can be a citizen's national code or mobile in disguise.
const PLAIN = /^[A-Za-z][A-Za-z0-9_.-]{0,31}$/;
const DIGIT_RUN = /[0-9]{4}/;

/** `"name"` when the name is safe to repeat, else the given description. */
export function echoName(name: string, otherwise: string): string {
  return PLAIN.test(name) && !DIGIT_RUN.test(name) ? `"${name}"` : otherwise;
}
