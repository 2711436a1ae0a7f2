package io.updraft.logs;

/**
 * A piece of a try's log read from a byte offset.
 *
 * @param text the bytes read, decoded as UTF-8 (never a character cut in half: a partial one at the
 *     end is left for the next read)
 * @param from the byte offset the text starts at
 * @param next the byte offset to read from next
 * @param size the file's size when read
 */
public record LogChunk(String text, long from, long next, long size) {
  /** Whether the read reached the end of the file as it was. */
  public boolean atEnd() {
    return next >= size;
  }
}
