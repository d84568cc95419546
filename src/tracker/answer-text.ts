// The text of an answer to one of the tracker's calls (a node's page of records, the tracker's own
// page for the citizen's portal), read only up to a bound: whoever answers, a page of at most 100
// entries has a known size, and anything far larger is not an answer to take.
/** The body's text, or undefined when it grows beyond `maxBytes` (the rest is not read). */
export async function answerText(body: AsyncIterable<Buffer> & { destroy(): unknown }, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
