package org.longitude.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

class BufferedCoderTest {
  @Test
  void roundTripsSmallLargeAndEmptyElementsDeterministically() throws Exception {
    BufferedCoder<List<String>> coder = BufferedCoder.of(ListCoder.of(StringUtf8Coder.of()));
    List<String> large = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      large.add("participant-" + i); // several MB: the buffer grows, then shrinks again
    }
    for (List<String> value : List.of(List.<String>of(), List.of("a", "", "\u00e9\u4e2d"), large,
        List.of("after a large one"))) {
      CoderProperties.coderDecodeEncodeEqual(coder, value);
      CoderProperties.coderDeterministic(coder, value, new ArrayList<>(value));
    }
    CoderProperties.coderSerializable(coder);
    coder.verifyDeterministic();
  }

  @Test
  void nestedBufferedCodersKeepTheirOwnBytes() throws Exception {
    // The outer coder's buffer is in use while the inner ones encode, on the same thread.
    BufferedCoder<KV<String, List<Integer>>> coder = BufferedCoder.of(KvCoder.of(
        StringUtf8Coder.of(), BufferedCoder.of(ListCoder.of(BufferedCoder.of(VarIntCoder.of())))));
    KV<String, List<Integer>> value = KV.of("k", Arrays.asList(1, -7, 1 << 30));
    CoderProperties.coderDecodeEncodeEqual(coder, value);
  }

  @Test
  void aTruncatedElementIsRefused() throws Exception {
    BufferedCoder<String> coder = BufferedCoder.of(StringUtf8Coder.of());
    byte[] bytes = CoderUtils.encodeToByteArray(coder, "abcdef");
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 2);
    assertThrows(CoderException.class, () -> CoderUtils.decodeFromByteArray(coder, truncated));
    assertEquals("abcdef", CoderUtils.decodeFromByteArray(coder, bytes));
  }
}
