package org.longitude.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Versioned in-memory storage for one clinic. Each version is kept as a compact {@link Entry}:
 * the searchable fields plus the resource's JSON (optionally deflated); HAPI objects are only
 * built when a page is served. Reads are lock-free; mutations are serialized.
 */
final class ResourceStore {

  /** One stored version. */
  static final class Entry {
    final String type;
    final String id;
    final int version;
    final long lastUpdated;
    /** "system|code" tokens of the searchable code (null system written as empty). */
    final String[] codes;
    /** Id part of a Patient subject, or null. */
    final String subject;
    private final byte[] payload;
    private final boolean compressed;

    Entry(String type, String id, int version, long lastUpdated, String[] codes, String subject,
        byte[] payload, boolean compressed) {
      this.type = type;
      this.id = id;
      this.version = version;
      this.lastUpdated = lastUpdated;
      this.codes = codes;
      this.subject = subject;
      this.payload = payload;
      this.compressed = compressed;
    }

    String json() {
      return new String(compressed ? inflate(payload) : payload, StandardCharsets.UTF_8);
    }

    int payloadBytes() {
      return payload.length;
    }
  }

  private record SortKey(long lastUpdated, String id) implements Comparable<SortKey> {
    @Override
    public int compareTo(SortKey o) {
      int c = Long.compare(lastUpdated, o.lastUpdated);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  private static final class Table {
    final ConcurrentSkipListMap<SortKey, Entry> current = new ConcurrentSkipListMap<>();
    final ConcurrentHashMap<String, Entry> latest = new ConcurrentHashMap<>();
    /** Earlier versions, only for ids that have any. */
    final ConcurrentHashMap<String, List<Entry>> older = new ConcurrentHashMap<>();
  }

  private static final java.time.format.DateTimeFormatter INSTANT =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx")
          .withZone(java.time.ZoneOffset.UTC);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FhirContext fhir;
  private final Clock clock;
  private final boolean compress;
  private final Map<String, Table> tables = new ConcurrentHashMap<>();
  /** Interning of repeated strings (codes, patient ids) to keep entries small. */
  private final Map<String, String> strings = new HashMap<>();

  ResourceStore(FhirContext fhir, Clock clock, boolean compress) {
    this.fhir = fhir;
    this.clock = clock;
    this.compress = compress;
  }

  /** The store's clock, epoch millis: the server's time. */
  long now() {
    return clock.millis();
  }

  /** Stores a version exactly as given (its id, meta.versionId and meta.lastUpdated). */
  synchronized void load(Resource resource) {
    String type = resource.fhirType();
    String id = resource.getIdElement().getIdPart();
    int version = Integer.parseInt(resource.getMeta().getVersionId());
    long lastUpdated = resource.getMeta().getLastUpdated().getTime();
    put(entry(resource, type, id, version, lastUpdated));
  }

  /**
   * Stores one version given as FHIR JSON (its id, meta.versionId and meta.lastUpdated), read
   * with Jackson instead of HAPI: the cheap path for clinics of millions of resources, where
   * building a HAPI object per resource would dominate the load. Indexes the same fields as
   * {@link #load(Resource)}: the first-level code (Observation, Condition; a
   * MedicationAdministration's medicationCodeableConcept) and a Patient subject.
   */
  synchronized void loadJson(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not a JSON resource", e);
    }
    String type = node.path("resourceType").asText();
    JsonNode meta = node.path("meta");
    if (type.isEmpty() || !node.hasNonNull("id") || !meta.hasNonNull("versionId")
        || !meta.hasNonNull("lastUpdated")) {
      throw new IllegalArgumentException(
          "a stored resource needs resourceType, id, meta.versionId and meta.lastUpdated");
    }
    JsonNode concept = type.equals("MedicationAdministration")
        ? node.path("medicationCodeableConcept") : node.path("code");
    List<String> tokens = new ArrayList<>();
    if (!type.equals("Patient")) {
      for (JsonNode c : concept.path("coding")) {
        tokens.add(intern(c.path("system").asText("") + "|" + c.path("code").asText(null)));
      }
    }
    String reference = node.path("subject").path("reference").asText("");
    String subjectId = reference.startsWith("Patient/")
        ? intern(reference.substring("Patient/".length())) : null;
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    put(new Entry(type, node.get("id").asText(), Integer.parseInt(meta.get("versionId").asText()),
        new InstantType(meta.get("lastUpdated").asText()).getValue().getTime(),
        tokens.toArray(String[]::new), subjectId, compress ? deflate(bytes) : bytes, compress));
  }

  /**
   * Creates or updates a resource: the version after the current one, lastUpdated from the
   * store's clock (never earlier than the current version's). Returns the new versioned id.
   */
  synchronized IdType upsert(IBaseResource input) {
    Resource resource = ((Resource) input).copy();
    String type = resource.fhirType();
    String id = resource.getIdElement().hasIdPart() ? resource.getIdElement().getIdPart()
        : UUID.randomUUID().toString();
    Entry previous = table(type).latest.get(id);
    int version = previous == null ? 1 : previous.version + 1;
    long now = clock.millis();
    if (previous != null && now < previous.lastUpdated) {
      now = previous.lastUpdated;
    }
    resource.setIdElement(new IdType(type, id, Integer.toString(version)));
    resource.getMeta().setVersionId(Integer.toString(version))
        .setLastUpdatedElement(new InstantType(INSTANT.format(Instant.ofEpochMilli(now))));
    put(entry(resource, type, id, version, now));
    return resource.getIdElement();
  }

  /** Writes a new version with status entered-in-error (Patient: active = false). */
  synchronized IdType retract(String type, String id) {
    Entry current = latest(type, id);
    Resource resource = (Resource) decode(current);
    if (resource instanceof Observation o) {
      o.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
    } else if (resource instanceof MedicationAdministration m) {
      m.setStatus(MedicationAdministration.MedicationAdministrationStatus.ENTEREDINERROR);
    } else if (resource instanceof Condition c) {
      c.setVerificationStatus(new CodeableConcept().addCoding(new Coding(
          "http://terminology.hl7.org/CodeSystem/condition-ver-status", "entered-in-error",
          "Entered in Error")));
    } else if (resource instanceof org.hl7.fhir.r4.model.Patient p) {
      p.setActive(false);
    } else {
      throw new IllegalArgumentException("cannot retract " + type);
    }
    return upsert(resource);
  }

  Entry latest(String type, String id) {
    Entry entry = table(type).latest.get(id);
    if (entry == null) {
      throw new ResourceNotFoundException(new IdType(type, id));
    }
    return entry;
  }

  Entry version(String type, String id, int version) {
    for (Entry e : history(type, id)) {
      if (e.version == version) {
        return e;
      }
    }
    throw new ResourceNotFoundException(new IdType(type, id, Integer.toString(version)));
  }

  /** All versions of one id, oldest first. */
  List<Entry> history(String type, String id) {
    Table table = table(type);
    List<Entry> result = new ArrayList<>(table.older.getOrDefault(id, List.of()));
    Entry latest = table.latest.get(id);
    if (latest == null) {
      throw new ResourceNotFoundException(new IdType(type, id));
    }
    result.add(latest);
    return result;
  }

  /**
   * Current versions of one type with lastUpdated in [from, to] (epoch millis, inclusive)
   * that pass the filter, in (lastUpdated, id) order.
   */
  List<Entry> search(String type, long from, long to, Predicate<Entry> filter) {
    if (from > to) {
      return List.of();
    }
    Collection<Entry> range = table(type).current
        .subMap(new SortKey(from, ""), true, new SortKey(to, "\uffff"), true).values();
    List<Entry> result = new ArrayList<>();
    for (Entry e : range) {
      if (filter.test(e)) {
        result.add(e);
      }
    }
    return result;
  }

  int count(String type) {
    return table(type).latest.size();
  }

  IBaseResource decode(Entry entry) {
    return fhir.newJsonParser().parseResource(entry.json());
  }

  /** Bytes held in payloads, over all versions. */
  long payloadBytes() {
    long total = 0;
    for (Table t : tables.values()) {
      for (Entry e : t.latest.values()) {
        total += e.payloadBytes();
      }
      for (List<Entry> list : t.older.values()) {
        for (Entry e : list) {
          total += e.payloadBytes();
        }
      }
    }
    return total;
  }

  private void put(Entry entry) {
    Table table = table(entry.type);
    Entry previous = table.latest.put(entry.id, entry);
    if (previous != null) {
      table.current.remove(new SortKey(previous.lastUpdated, previous.id));
      table.older.computeIfAbsent(entry.id, k -> new ArrayList<>()).add(previous);
    }
    table.current.put(new SortKey(entry.lastUpdated, entry.id), entry);
  }

  private Table table(String type) {
    return tables.computeIfAbsent(type, t -> new Table());
  }

  private Entry entry(Resource resource, String type, String id, int version, long lastUpdated) {
    byte[] json = fhir.newJsonParser().encodeResourceToString(resource)
        .getBytes(StandardCharsets.UTF_8);
    String[] codes = codes(resource);
    Reference subject = subject(resource);
    String subjectId = null;
    if (subject != null && subject.getReferenceElement().hasIdPart()
        && "Patient".equals(subject.getReferenceElement().getResourceType())) {
      subjectId = intern(subject.getReferenceElement().getIdPart());
    }
    return new Entry(type, id, version, lastUpdated, codes, subjectId,
        compress ? deflate(json) : json, compress);
  }

  private String[] codes(Resource resource) {
    CodeableConcept concept = null;
    if (resource instanceof Observation o) {
      concept = o.getCode();
    } else if (resource instanceof Condition c) {
      concept = c.getCode();
    } else if (resource instanceof MedicationAdministration m
        && m.getMedication() instanceof CodeableConcept cc) {
      concept = cc;
    }
    if (concept == null) {
      return new String[0];
    }
    String[] tokens = new String[concept.getCoding().size()];
    for (int i = 0; i < tokens.length; i++) {
      Coding c = concept.getCoding().get(i);
      tokens[i] = intern((c.hasSystem() ? c.getSystem() : "") + "|" + c.getCode());
    }
    return tokens;
  }

  private static Reference subject(Resource resource) {
    if (resource instanceof Observation o) {
      return o.getSubject();
    } else if (resource instanceof Condition c) {
      return c.getSubject();
    } else if (resource instanceof MedicationAdministration m) {
      return m.getSubject();
    }
    return null;
  }

  private String intern(String value) {
    return strings.computeIfAbsent(value, v -> v);
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(data);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2);
      byte[] buffer = new byte[4096];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static byte[] inflate(byte[] data) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 3);
      byte[] buffer = new byte[4096];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalStateException("truncated stored payload");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IllegalStateException("corrupt stored payload", e);
    } finally {
      inflater.end();
    }
  }
}
