package org.longitude.extract;

/**
 * A clinic's pull could not complete. The message names the clinic and the URL or file, and
 * never carries resource content.
 */
public final class PullFailedException extends RuntimeException {
  public PullFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
