package org.longitude.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What became of the records one step handled in one bundle: counts per clinic, resource
 * type, outcome, reason and measure, and the few facts of a pull the run needs (a clinic
 * failed, records re-read from earlier landings, the server's time of a pull, an export job
 * to delete) and the files the bundle wrote to the restricted zone. A bundle's ledger is
 * handed on as data ({@link #entries}: one element per key), and the run's ledgers are summed
 * into its accounting file; a bundle that a runner retries is discarded with its ledger, so
 * the sums count each record once whatever failed on the way. Not thread-safe: one per
 * bundle.
 *
 * <p>Every entry is a count, summed over the run: a fact that is not a count carries its
 * value in its key (a high-water mark), so that one sum combines every kind of entry.
 */
public final class Ledger implements Serializable {
  /** Entry kinds: the first field of a key. */
  public enum Kind { RECORDS, FAILED, REREAD, HIGH_WATER_MARK, FILE, EXPORT_JOB }

  static final String SEP = "|";
  private final Map<Accounting.Key, long[]> records = new HashMap<>();
  private final Map<String, long[]> facts = new HashMap<>();

  public void read(String clinic, String resourceType) {
    count(new Accounting.Key(clinic, resourceType, Outcome.READ, null, null), 1);
  }

  public void written(String clinic, String resourceType, String measure) {
    count(new Accounting.Key(clinic, resourceType, Outcome.WRITTEN, null, measure), 1);
  }

  public void dropped(String clinic, String resourceType, Reason reason, String measure) {
    count(new Accounting.Key(clinic, resourceType, reason.outcome(), reason, measure), 1);
  }

  /** A pull task of the clinic failed: the clinic's data are incomplete. */
  public void failed(String clinic) {
    fact(key(Kind.FAILED, clinic), 1);
  }

  /** {@code n} of the records read were re-read from earlier runs' landings. */
  public void reread(String clinic, long n) {
    fact(key(Kind.REREAD, clinic), n);
  }

  /** The server's time of one of the clinic's searches or exports, epoch millis. */
  public void highWaterMark(String clinic, long epochMillis) {
    fact(key(Kind.HIGH_WATER_MARK, clinic, Long.toString(epochMillis)), 1);
  }

  /** A file the bundle wrote (path or URL), with its lines. */
  public void file(String path, long lines) {
    fact(key(Kind.FILE, path), lines);
  }

  /** A Bulk Data export job of the clinic, by status URL: to delete once the run is done. */
  public void exportJob(String clinic, String statusUrl) {
    fact(key(Kind.EXPORT_JOB, clinic, statusUrl), 1);
  }

  /** Adds another ledger's counts to this one. */
  public void addAll(Ledger other) {
    other.records.forEach((k, n) -> count(k, n[0]));
    other.facts.forEach((k, n) -> fact(k, n[0]));
  }

  public boolean isEmpty() {
    return records.isEmpty() && facts.isEmpty();
  }

  /** Every entry as its key's text and count, sorted by key; {@link #parseKey} reads a key. */
  public Map<String, Long> entries() {
    Map<String, Long> entries = new TreeMap<>();
    records.forEach((k, n) -> entries.put(Kind.RECORDS + SEP + k.name(), n[0]));
    facts.forEach((k, n) -> entries.put(k, n[0]));
    return entries;
  }

  /**
   * Ledgers with the same entries are equal: a coder's round trip gives an equal ledger, as
   * the DirectRunner checks of an element that carries one.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof Ledger ledger && entries().equals(ledger.entries());
  }

  @Override
  public int hashCode() {
    return entries().hashCode();
  }

  /** The ledger's entries, for a coder that hands it on between steps. */
  public void writeTo(OutputStream out) throws IOException {
    Map<String, Long> entries = entries();
    CompactCoding.writeInt(entries.size(), out);
    for (Map.Entry<String, Long> e : entries.entrySet()) {
      CompactCoding.writeString(e.getKey(), out);
      CompactCoding.writeLong(e.getValue(), out);
    }
  }

  /** A ledger as {@link #writeTo} wrote it. */
  public static Ledger readFrom(InputStream in) throws IOException {
    Ledger ledger = new Ledger();
    for (int n = CompactCoding.readInt(in); n > 0; n--) {
      ledger.add(CompactCoding.readString(in), CompactCoding.readLong(in));
    }
    return ledger;
  }

  /** Adds {@code n} to the entry named by a key's text (as {@link #entries} gives it). */
  public void add(String key, long n) {
    ParsedKey parsed = parseKey(key);
    if (parsed.kind() == Kind.RECORDS) {
      count(parsed.records(), n);
    } else {
      fact(key, n);
    }
  }

  private void count(Accounting.Key key, long n) {
    records.computeIfAbsent(key, k -> new long[1])[0] += n;
  }

  private void fact(String key, long n) {
    facts.computeIfAbsent(key, k -> new long[1])[0] += n;
  }

  private static String key(Kind kind, String... fields) {
    return kind + SEP + String.join(SEP, fields);
  }

  /**
   * One entry's key read back: its kind and fields (for {@link Kind#RECORDS} the fields of an
   * {@link Accounting.Key} name).
   */
  public record ParsedKey(Kind kind, String[] fields) {
    public Accounting.Key records() {
      return Accounting.Key.parse(String.join(SEP, fields));
    }
  }

  public static ParsedKey parseKey(String key) {
    String[] parts = key.split("\\" + SEP, -1);
    String[] fields = new String[parts.length - 1];
    System.arraycopy(parts, 1, fields, 0, fields.length);
    return new ParsedKey(Kind.valueOf(parts[0]), fields);
  }
}
