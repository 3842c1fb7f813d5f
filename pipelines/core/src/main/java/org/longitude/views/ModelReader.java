package org.longitude.views;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IJsonLikeParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads a pulled resource's JSON bytes into HAPI's R4 model for a view, as HAPI's own JSON
 * parser does (decimals exact, leniently, logging no content), but from the bytes and, for a
 * view that cannot read it ({@link ViewDefinition#mayReadNarrative}), without the narrative:
 * HAPI builds an XHTML parser for every narrative it reads, with its table of ~2,000 entities,
 * which was a third of a view's CPU.
 */
final class ModelReader {
  /** HAPI's JSON settings ({@code JacksonStructure}): exact decimals, a leading '+'. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS,
          DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  private final IJsonLikeParser parser;
  private final boolean narrative;

  /** @param narrative whether the view may read the narrative, which is then kept */
  ModelReader(FhirContext fhir, boolean narrative) {
    this.parser = (IJsonLikeParser) fhir.newJsonParser();
    this.parser.setParserErrorHandler(new LenientErrorHandler(false)); // never logs content
    this.narrative = narrative;
  }

  /** The JSON tree of a resource's bytes, read as HAPI reads it. */
  static ObjectNode tree(byte[] json) throws IOException {
    JsonNode node = JSON.readTree(json);
    if (!(node instanceof ObjectNode resource)) {
      throw new IOException("not a JSON object");
    }
    return resource;
  }

  /** The resource, or an exception when the tree is not a FHIR resource (may change it). */
  Resource read(ObjectNode resource) {
    if (!narrative) {
      resource.remove("text");
    }
    JacksonStructure structure = new JacksonStructure();
    structure.setNativeObject(resource);
    return (Resource) parser.parseResource(structure);
  }
}
