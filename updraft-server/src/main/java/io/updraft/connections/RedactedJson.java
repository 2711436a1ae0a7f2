package io.updraft.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Stored JSON as it may be shown (an asset event's extra): the value of every secret-looking key
 * ({@link SensitiveKeys}) at any depth is {@value SecretMasker#MASK}, as Airflow redacts it.
 */
public final class RedactedJson {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private RedactedJson() {}

  /**
   * @param json stored JSON; null reads as {@code {}}
   */
  public static JsonNode of(String json) {
    JsonNode node;
    try {
      node = PLAIN.readTree(json == null ? "{}" : json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is not JSON: " + e.getOriginalMessage(), e);
    }
    redact(node);
    return node;
  }

  private static void redact(JsonNode node) {
    if (node instanceof ObjectNode o) {
      List<String> keys = new ArrayList<>();
      o.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        JsonNode value = o.get(key);
        if (SensitiveKeys.isSensitive(key) && !value.isNull() && !value.isContainerNode()) {
          o.put(key, SecretMasker.MASK);
        } else {
          redact(value);
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(RedactedJson::redact);
    }
  }
}
