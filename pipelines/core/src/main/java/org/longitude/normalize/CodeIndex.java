package org.longitude.normalize;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.longitude.config.ClinicMapping;
import org.longitude.config.MeasureCatalog;
import org.longitude.config.Study;

/** Looks up what a clinic's {@code system|code} means: the catalogue's LOINC, then its own. */
final class CodeIndex implements Serializable {
  /** What a code stands for. {@code item} is 1-based, for role ITEM. */
  record Meaning(String measure, ClinicMapping.Role role, int item) implements Serializable {}

  private final Map<String, Meaning> meanings = new HashMap<>();
  private final Set<String> ignored = new HashSet<>();
  private final Set<String> ketamine = new HashSet<>();
  private final Set<String> ketamineProcedures = new HashSet<>();

  CodeIndex(MeasureCatalog catalog, ClinicMapping mapping) {
    catalog.measures().forEach((id, m) -> {
      if (m.total() != null) {
        meanings.put(key(Study.LOINC, m.total()), new Meaning(id, ClinicMapping.Role.TOTAL, 0));
      }
      m.panelsOrEmpty().forEach(
          c -> meanings.put(key(Study.LOINC, c), new Meaning(id, ClinicMapping.Role.PANEL, 0)));
      List<String> items = m.itemsOrEmpty();
      for (int i = 0; i < items.size(); i++) {
        // PHQ-2's items are PHQ-9's first two: a shared code keeps its first (PHQ-9) meaning.
        meanings.putIfAbsent(key(Study.LOINC, items.get(i)),
            new Meaning(id, ClinicMapping.Role.ITEM, i + 1));
      }
    });
    for (ClinicMapping.CodeMapping c : mapping.codesOrEmpty()) {
      meanings.put(key(c.system(), c.code()),
          new Meaning(c.measure(), c.role(), c.item() == null ? 0 : c.item()));
    }
    mapping.ignoreOrEmpty().forEach(c -> ignored.add(key(c.system(), c.code())));
    mapping.medicationsOrEmpty().forEach(c -> ketamine.add(key(c.system(), c.code())));
    mapping.proceduresOrEmpty().forEach(c -> ketamineProcedures.add(key(c.system(), c.code())));
  }

  Meaning meaning(String system, String code) {
    return meanings.get(key(system, code));
  }

  /** The item index (1-based) of a component code within {@code measure}, or 0. */
  int itemOf(String measure, String system, String code) {
    Meaning m = meanings.get(key(system, code));
    if (m != null && m.role() == ClinicMapping.Role.ITEM && m.measure().equals(measure)) {
      return m.item();
    }
    return 0;
  }

  boolean isIgnored(String system, String code) {
    return ignored.contains(key(system, code));
  }

  boolean isKetamine(String system, String code) {
    return ketamine.contains(key(system, code));
  }

  boolean isKetamineProcedure(String system, String code) {
    return ketamineProcedures.contains(key(system, code));
  }

  private static String key(String system, String code) {
    return system + "|" + code;
  }
}
