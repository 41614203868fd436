package io.shudu.core;

import java.util.List;
import java.util.Map;

/** HTTP 412: an {@code If-Match} or {@code If-None-Match} precondition failed: someone changed the resource since you read it. Get it again (for the new ETag), reapply your change, retry. */
public class PreconditionFailedException extends ServiceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; see {@link ServiceException#ServiceException} for the parameters.
   *
   * @param status HTTP status
   * @param code error code, or null
   * @param type problem type URI, or null
   * @param title summary, or null
   * @param detail explanation, or null
   * @param requestId request id, or null
   * @param errors field errors
   * @param extensions other problem members
   */
  public PreconditionFailedException(int status, String code, String type, String title, String detail, String requestId,
      List<FieldError> errors, Map<String, Object> extensions) {
    super(status, code, type, title, detail, requestId, false, errors, extensions);
  }
}
