package org.longitude.demo;

import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Resource;

/**
 * One generated clinic: its resources (current versions and full history) and its ground
 * truth. The resources are shared HAPI objects: treat them as read-only ({@code copy()} before
 * changing one).
 */
public final class ClinicDataset {

  private final ClinicProfile profile;
  private final List<Resource> current;
  private final List<Resource> history;
  private final GroundTruth truth;

  ClinicDataset(ClinicProfile profile, List<Resource> current, List<Resource> history,
      GroundTruth truth) {
    this.profile = profile;
    this.current = List.copyOf(current);
    this.history = List.copyOf(history);
    this.truth = truth;
  }

  /** The clinic id, equal to {@code profile().id()}. */
  public String clinicId() {
    return profile.id();
  }

  public ClinicProfile profile() {
    return profile;
  }

  /** The current version of every resource, in generation order. */
  public List<Resource> resources() {
    return current;
  }

  /** The current versions of one resource type, in generation order. */
  public <T extends Resource> List<T> resources(Class<T> type) {
    return current.stream().filter(type::isInstance).map(type::cast)
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * Every version of every resource (superseded versions of amended and retracted records
   * included), in generation order with the versions of one id in ascending order.
   */
  public List<Resource> history() {
    return history;
  }

  public GroundTruth truth() {
    return truth;
  }
}
