package org.longitude.views;

/**
 * A view the engine cannot run, or a row it could not make: names the view, where in it
 * (a path such as {@code select[1].column[0]}, or the column) and why. Never carries a value
 * read from a resource, so it can be logged and printed.
 */
public final class ViewException extends RuntimeException {
  private final String view;
  private final String where;
  private final String reason;

  public ViewException(String view, String where, String reason) {
    super("view '" + view + "'" + (where == null || where.isEmpty() ? "" : ", " + where)
        + ": " + reason);
    this.view = view;
    this.where = where;
    this.reason = reason;
  }

  public String view() {
    return view;
  }

  public String where() {
    return where;
  }

  public String reason() {
    return reason;
  }
}
