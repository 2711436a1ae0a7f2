package io.updraft.ui;

import java.util.HashMap;
import java.util.Map;

/**
 * A template and its model: {@code template} names {@code templates/<template>.peb}. The model
 * always has {@code session} (null when signed out), {@code csrf} and {@code path} added by {@link
 * WebUi} before rendering.
 */
record View(String template, Map<String, Object> model, int status) {
  View {
    model = new HashMap<>(model);
  }

  static View of(String template, Map<String, Object> model) {
    return new View(template, model, 200);
  }

  View withStatus(int s) {
    return new View(template, model, s);
  }
}
