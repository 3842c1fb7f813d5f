package org.longitude.extract;

/**
 * A failure of a later step that a pulled resource was handed to (most runners run it in the
 * pull's thread, as one fused step): the runner's to handle, by retrying the bundle. A pull
 * that caught it as its own would count the clinic failed and carry on without the records.
 */
final class HandedOnFailure extends RuntimeException {
  HandedOnFailure(RuntimeException cause) {
    super(cause);
  }

  /** The later step's own exception, to rethrow as it was. */
  RuntimeException later() {
    return (RuntimeException) getCause();
  }
}
