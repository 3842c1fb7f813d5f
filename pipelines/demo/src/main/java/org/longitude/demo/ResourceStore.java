package org.longitude.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
   * Stores one version given as FHIR JSON, {@code length} bytes of {@code json} from
   * {@code from} (its id, meta.versionId and meta.lastUpdated): the cheap path for clinics of
   * millions of resources, and for the demo's kept clinics, where building a HAPI object (or a
   * Jackson tree) per resource would dominate the load. Indexes the same fields as
   * {@link #load(Resource)}: the first-level code (Observation, Condition; a
   * MedicationAdministration's medicationCodeableConcept) and a Patient subject.
   */
  synchronized void loadJson(byte[] json, int from, int length) {
    Indexed r;
    try {
      r = new Indexed(json, from, length);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON resource", e);
    }
    if (r.type == null || r.type.isEmpty() || r.id == null || r.versionId == null
        || r.lastUpdated == null) {
      throw new IllegalArgumentException(
          "a stored resource needs resourceType, id, meta.versionId and meta.lastUpdated");
    }
    List<String> codes = switch (r.type) {
      case "Patient" -> List.of();
      case "MedicationAdministration" -> r.medicationCodes;
      default -> r.codes;
    };
    String subjectId = r.reference != null && r.reference.startsWith("Patient/")
        ? intern(r.reference.substring("Patient/".length())) : null;
    long lastUpdated;
    try {
      lastUpdated = OffsetDateTime.parse(r.lastUpdated).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("meta.lastUpdated is not an instant", e);
    }
    byte[] bytes = Arrays.copyOfRange(json, from, from + length);
    put(new Entry(r.type, r.id, Integer.parseInt(r.versionId), lastUpdated,
        codes.stream().map(this::intern).toArray(String[]::new), subjectId,
        compress ? deflate(bytes) : bytes, compress));
  }

  /**
   * The fields a version is indexed by, read from its JSON as a stream of tokens: what is not
   * indexed is skipped, never built.
   */
  private static final class Indexed {
    String type;
    String id;
    String versionId;
    String lastUpdated;
    String reference;
    /** "system|code" of {@code code.coding}, and of {@code medicationCodeableConcept.coding}. */
    final List<String> codes = new ArrayList<>(2);
    final List<String> medicationCodes = new ArrayList<>(2);

    Indexed(byte[] json, int from, int length) throws IOException {
      try (JsonParser p = JSON.getFactory().createParser(json, from, length)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new IOException("not a JSON object");
        }
        members(p, field -> {
          switch (field) {
            case "resourceType" -> type = text(p);
            case "id" -> id = text(p);
            case "meta" -> members(p, name -> {
              switch (name) {
                case "versionId" -> versionId = text(p);
                case "lastUpdated" -> lastUpdated = text(p);
                default -> p.skipChildren();
              }
            });
            case "code" -> codings(p, codes);
            case "medicationCodeableConcept" -> codings(p, medicationCodes);
            case "subject" -> members(p, name -> {
              if (name.equals("reference")) {
                reference = text(p);
              } else {
                p.skipChildren();
              }
            });
            default -> p.skipChildren();
          }
        });
      }
    }

    /** Reads one member's value, the parser at its first token. */
    private interface Member {
      void read(String name) throws IOException;
    }

    /** Each member of the object just started; a value that is not an object is skipped. */
    private static void members(JsonParser p, Member each) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        each.read(name);
      }
    }

    /** The "system|code" of each Coding in a CodeableConcept's {@code coding}. */
    private static void codings(JsonParser p, List<String> out) throws IOException {
      members(p, name -> {
        if (!name.equals("coding") || p.currentToken() != JsonToken.START_ARRAY) {
          p.skipChildren();
          return;
        }
        for (JsonToken t; (t = p.nextToken()) != null && t != JsonToken.END_ARRAY; ) {
          String[] coding = {"", null};
          members(p, part -> {
            switch (part) {
              case "system" -> coding[0] = Objects.requireNonNullElse(text(p), "");
              case "code" -> coding[1] = text(p);
              default -> p.skipChildren();
            }
          });
          out.add(coding[0] + "|" + coding[1]);
        }
      });
    }

    /** A scalar's text; null for JSON null, an object or an array (skipped). */
    private static String text(JsonParser p) throws IOException {
      if (p.currentToken().isScalarValue() && p.currentToken() != JsonToken.VALUE_NULL) {
        return p.getText();
      }
      p.skipChildren();
      return null;
    }
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
