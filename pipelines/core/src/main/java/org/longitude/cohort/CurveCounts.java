package org.longitude.cohort;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.longitude.cohort.rules.DayCounts;
import org.longitude.cohort.rules.LandmarkStatus;

/**
 * Everything one curve (condition × measure × stratum) needs, as mergeable counts:
 * durability per day since first response, relapse-free time since index with delayed entry
 * at first response, and landmark statuses.
 */
final class CurveCounts implements Serializable {
  final DayCounts durability = new DayCounts();
  final DayCounts sinceIndex = new DayCounts();
  final Map<String, Long> landmarkStatuses = new TreeMap<>();

  void addLandmark(int months, LandmarkStatus status) {
    landmarkStatuses.merge(months + "|" + status.name(), 1L, Long::sum);
  }

  long landmark(int months, LandmarkStatus status) {
    return landmarkStatuses.getOrDefault(months + "|" + status.name(), 0L);
  }

  CurveCounts merge(CurveCounts other) {
    durability.merge(other.durability);
    sinceIndex.merge(other.sinceIndex);
    other.landmarkStatuses.forEach((k, v) -> landmarkStatuses.merge(k, v, Long::sum));
    return this;
  }

  /**
   * Participants at risk on {@code day} of the durability curve: entered (everyone at 0 without
   * delayed entries) and not yet relapsed or censored.
   */
  long atRisk(int day) {
    var days = durability.snapshot();
    long notExited = days.tailMap(day).values().stream()
        .mapToLong(DayCounts.Counts::exits).sum();
    long notEntered = days.tailMap(day + 1).values().stream()
        .mapToLong(DayCounts.Counts::entries).sum();
    return notExited - notEntered;
  }

  /** Whether the durability counts have delayed entries (a landmark group's curve). */
  boolean delayedEntry() {
    return durability.snapshot().values().stream().anyMatch(c -> c.entries() > 0);
  }
}
