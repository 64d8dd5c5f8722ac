/** "emma.jones@mergington.edu" -> "Emma Jones": old data has emails only. */
export function nameFromEmail(email: string): string {
  const local = email.split('@')[0] ?? email;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join(' ');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * "Emma Jones" -> "Emma J.": how a student is shown to someone who is not signed in (students are minors).
 * The first word and the initial of the last; one word stays as it is. Applied to its own result it
 * changes nothing ("Emma J." -> "Emma J.").
 */
export function publicName(fullName: string): string {
  const words = fullName.trim().split(/\s+/u).filter(Boolean);
  const first = words[0] ?? '';
  if (words.length < 2) return first;
  // The first grapheme, not the first UTF-16 unit: "Ångström" written with a combining ring stays whole.
  const initial = graphemes.segment(words.at(-1)!)[Symbol.iterator]().next().value!.segment;
  return `${first} ${initial}.`;
}
