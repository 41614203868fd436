package io.shudu.core;

import java.util.List;
import java.util.Map;

/** HTTP 401: the credentials are missing, wrong or expired. Check the API key, access key or OAuth2 client the client was built with. */
public class AuthenticationException extends ServiceException {
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
  public AuthenticationException(int status, String code, String type, String title, String detail, String requestId,
      List<FieldError> errors, Map<String, Object> extensions) {
    super(status, code, type, title, detail, requestId, false, errors, extensions);
  }
}
