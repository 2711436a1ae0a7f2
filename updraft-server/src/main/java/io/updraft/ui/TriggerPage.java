package io.updraft.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.updraft.UpdraftException;
import io.updraft.api.ApiException;
import io.updraft.api.Role;
import io.updraft.dag.Dag;
import io.updraft.scheduler.DagActions;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.DuplicateDagRunException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /dags/{dag_id}/trigger}: the trigger form ({@code #trigger-form}) — a field for each of
 * the DAG's params with its default, typed after it, a raw JSON conf (its keys win over the
 * fields), an optional logical date and run_id — and the POST that creates the run through {@link
 * DagActions#trigger}. A bad value is shown on the form, with a 4xx.
 */
final class TriggerPage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TriggerPage() {}

  static List<Page> pages(Ui ui) {
    return List.of(
        Page.get(
            "/dags/{dag_id}/trigger",
            Role.USER,
            (ctx, s) -> {
              Dag dag = dag(ui, ctx.pathParam("dag_id"));
              return form(dag, fields(dag, null, new HashMap<>()), "", "", "", "", 200);
            }),
        Page.post("/dags/{dag_id}/trigger", Role.USER, (ctx, s) -> trigger(ui, ctx, s)));
  }

  private static View trigger(Ui ui, Context ctx, Session session) {
    Dag dag = dag(ui, ctx.pathParam("dag_id"));
    Map<String, String> errors = new HashMap<>();
    List<ParamField> fields = fields(dag, ctx, errors);
    String rawConf = DagListPage.trimmed(ctx.formParam("conf"));
    String rawDate = DagListPage.trimmed(ctx.formParam("logical_date"));
    String runId = DagListPage.trimmed(ctx.formParam("run_id"));
    Map<String, Object> conf = new LinkedHashMap<>();
    for (ParamField f : fields) {
      if (f.error().isEmpty()) {
        conf.put(f.name(), value(f));
      }
    }
    String error = "";
    if (!rawConf.isEmpty()) {
      try {
        JsonNode node = JSON.readTree(rawConf);
        if (node == null || !node.isObject()) {
          error = "conf must be a JSON object, such as {\"key\": \"value\"}";
        } else {
          conf.putAll(JSON.convertValue(node, Map.class));
        }
      } catch (JsonProcessingException e) {
        error = "conf is not valid JSON: " + e.getOriginalMessage();
      }
    }
    Instant logicalDate = null;
    if (!rawDate.isEmpty()) {
      logicalDate = instant(rawDate);
      if (logicalDate == null) {
        error =
            "logical_date must be a date and time such as 2024-01-05T00:00:00Z, not '"
                + rawDate
                + "'";
      }
    }
    if (!errors.isEmpty() || !error.isEmpty()) {
      if (error.isEmpty()) {
        error = "a param has a bad value: see below";
      }
      return form(dag, fields, rawConf, rawDate, runId, error, 400);
    }
    Instant now = ui.clock().instant();
    DagRunRow run;
    try {
      run =
          DagActions.trigger(
              ui.db(),
              dag.dagId(),
              logicalDate == null ? now : logicalDate,
              runId.isEmpty() ? null : runId,
              conf.isEmpty() ? null : JSON.writeValueAsString(conf),
              session.username(),
              now);
    } catch (DuplicateDagRunException e) {
      return form(dag, fields, rawConf, rawDate, runId, e.getMessage(), 409);
    } catch (UpdraftException | JsonProcessingException e) {
      return form(dag, fields, rawConf, rawDate, runId, e.getMessage(), 400);
    }
    ctx.redirect(
        "/dags/" + GridPage.enc(dag.dagId()) + "/grid?run_id=" + GridPage.enc(run.runId()),
        HttpStatus.SEE_OTHER);
    return null;
  }

  private static Dag dag(Ui ui, String dagId) {
    if (new DagRepository(ui.db()).get(dagId).isEmpty()) {
      throw ApiException.notFound("no DAG '" + dagId + "'");
    }
    return ui.versions().latest(dagId).dag();
  }

  /** The form's fields: the defaults, or (ctx not null) what was sent, checked. */
  private static List<ParamField> fields(Dag dag, Context ctx, Map<String, String> errors) {
    List<ParamField> out = new ArrayList<>();
    dag.params()
        .forEach(
            (name, dflt) -> {
              String kind = kind(dflt);
              String shown = shown(dflt);
              boolean checked = Boolean.TRUE.equals(dflt);
              String error = "";
              if (ctx != null) {
                String sent = ctx.formParam("param." + name);
                checked = sent != null;
                if (sent != null || kind.equals("checkbox")) {
                  // A field not sent at all (a form without it) keeps its default.
                  shown = sent == null ? "" : sent;
                }
                error = check(kind, shown);
                if (!error.isEmpty()) {
                  errors.put(name, error);
                }
              }
              out.add(new ParamField(name, kind, shown, checked, error));
            });
    return out;
  }

  private static String kind(Object dflt) {
    if (dflt instanceof Boolean) {
      return "checkbox";
    }
    if (dflt instanceof Number) {
      return "number";
    }
    if (dflt instanceof String) {
      return "text";
    }
    return "json";
  }

  private static String shown(Object dflt) {
    if (dflt == null) {
      return "null";
    }
    if (dflt instanceof String s) {
      return s;
    }
    if (dflt instanceof Number || dflt instanceof Boolean) {
      return dflt.toString();
    }
    try {
      return JSON.writeValueAsString(dflt);
    } catch (JsonProcessingException e) {
      return String.valueOf(dflt);
    }
  }

  private static String check(String kind, String sent) {
    switch (kind) {
      case "number":
        if (number(sent) == null) {
          return "must be a number, not '" + sent + "'";
        }
        return "";
      case "json":
        try {
          JSON.readTree(sent.isBlank() ? "null" : sent);
          return "";
        } catch (JsonProcessingException e) {
          return "is not valid JSON: " + e.getOriginalMessage();
        }
      default:
        return "";
    }
  }

  private static Object value(ParamField f) {
    return switch (f.kind()) {
      case "checkbox" -> f.checked();
      case "number" -> number(f.value());
      case "json" -> {
        try {
          yield JSON.convertValue(
              JSON.readTree(f.value().isBlank() ? "null" : f.value()), Object.class);
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("checked before", e);
        }
      }
      default -> f.value();
    };
  }

  private static Number number(String s) {
    String t = s.trim();
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      try {
        double d = Double.parseDouble(t);
        return Double.isFinite(d) ? d : null;
      } catch (NumberFormatException e2) {
        return null;
      }
    }
  }

  /** An instant ({@code …Z} or with an offset), or a browser's local date-time read as UTC. */
  private static Instant instant(String s) {
    try {
      return java.time.OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static View form(
      Dag dag,
      List<ParamField> fields,
      String conf,
      String logicalDate,
      String runId,
      String error,
      int status) {
    Map<String, Object> model = new HashMap<>();
    model.put("dagId", dag.dagId());
    model.put("fields", fields);
    model.put("conf", conf);
    model.put("logicalDate", logicalDate);
    model.put("runId", runId);
    model.put("error", error);
    return View.of("trigger", model).withStatus(status);
  }
}
