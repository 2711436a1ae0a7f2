package io.updraft.api;

/**
 * A request the API refuses: its HTTP status and the one line of {@code {"detail": ...}} that says
 * what is wrong and, where it can, what to do instead. Handlers throw it; {@link ErrorResponses}
 * writes it.
 */
public final class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, detail);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, detail);
  }

  /** A body or parameter that is well-formed but not acceptable (FastAPI's validation status). */
  public static ApiException unprocessable(String detail) {
    return new ApiException(422, detail);
  }
}
