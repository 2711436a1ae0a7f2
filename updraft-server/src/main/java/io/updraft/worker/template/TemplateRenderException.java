package io.updraft.worker.template;

/** A task's operator argument could not be rendered; the message is one line saying why. */
public final class TemplateRenderException extends RuntimeException {

  private final String key;

  TemplateRenderException(String message, String key, Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /** The path of the argument that failed, e.g. {@code command}, {@code env.TABLE}. */
  public String key() {
    return key;
  }
}
