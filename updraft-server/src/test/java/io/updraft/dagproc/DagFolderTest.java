package io.updraft.dagproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DagFolderTest {
  @TempDir Path dags;

  private Path write(String relative, String content) throws IOException {
    Path p = dags.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  private static String manual(String dagId) {
    return "dag_id: " + dagId + "\nschedule: null\ntasks:\n  - {task_id: t, operator: empty}\n";
  }

  private List<String> files() {
    return DagFolder.dagFiles(dags).stream()
        .map(p -> dags.relativize(p).toString().replace('\\', '/'))
        .toList();
  }

  @Test
  void findsYamlFilesRecursivelyInPathOrder() throws IOException {
    write("b.yaml", manual("b"));
    write("a.yml", manual("a"));
    write("sub/deeper/c.yaml", manual("c"));
    write("sub/notes.txt", "not a dag");
    write("sub/script.py", "print()");
    write(".hidden/x.yaml", manual("x"));
    write(".y.yaml", manual("y"));
    assertThat(files()).containsExactly("a.yml", "b.yaml", "sub/deeper/c.yaml");
  }

  @Test
  void updraftignoreUsesGitignoreStyleGlobs() throws IOException {
    write(
        ".updraftignore",
        "# comments and blank lines are skipped\n\n"
            + "*_draft.yaml\n"
            + "scratch/\n"
            + "/top_only.yaml\n"
            + "team_?/old/**\n"
            + "keep*.yaml\n"
            + "!keep_me.yaml\n");
    write("ok.yaml", manual("ok"));
    write("orders_draft.yaml", manual("draft"));
    write("nested/orders_draft.yaml", manual("draft2"));
    write("scratch/s.yaml", manual("s"));
    write("top_only.yaml", manual("top"));
    write("nested/top_only.yaml", manual("top2"));
    write("team_a/old/o.yaml", manual("o"));
    write("team_a/new/n.yaml", manual("n"));
    write("keep_me.yaml", manual("keep_me"));
    write("keep_not.yaml", manual("keep_not"));
    // A nested ignore file applies to its own folder and below, relative to it.
    write("nested/.updraftignore", "/local.yaml\n");
    write("nested/local.yaml", manual("local"));
    write("local.yaml", manual("root_local"));
    assertThat(files())
        .containsExactly(
            "keep_me.yaml", "local.yaml", "nested/top_only.yaml", "ok.yaml", "team_a/new/n.yaml");
  }

  @Test
  void globTranslation() {
    assertThat("a/b/c.yaml").matches(IgnoreRules.globToRegex("a/**/*.yaml"));
    assertThat("a/c.yaml").matches(IgnoreRules.globToRegex("a/**/*.yaml"));
    assertThat("a/b/c.yaml").doesNotMatch(IgnoreRules.globToRegex("a/*.yaml"));
    assertThat("x1.yaml").matches(IgnoreRules.globToRegex("x[0-9].yaml"));
    assertThat("xa.yaml").doesNotMatch(IgnoreRules.globToRegex("x[!a].yaml"));
    assertThat("x.y+z").matches(IgnoreRules.globToRegex("x.y+z"));
  }

  @Test
  void aBrokenFileDoesNotAffectTheOthers() throws IOException {
    write("a.yaml", manual("a"));
    Path broken = write("b.yaml", "dag_id: b\ntasks: [\n");
    write("c.yaml", manual("c"));
    FolderResult r = DagFolder.load(dags);
    assertThat(r.dags()).extracting(Dag::dagId).containsExactly("a", "c");
    assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.file()).isEqualTo(broken));
    assertThat(r.files()).hasSize(3);
    assertThat(r.hasErrors()).isTrue();
  }

  @Test
  void aDagIdInTwoFilesIsAnErrorOnTheLaterFile() throws IOException {
    Path first = write("a.yaml", manual("same"));
    Path later = write("b.yaml", "# the same DAG again\n" + manual("same"));
    FolderResult r = DagFolder.load(dags);
    assertThat(r.dags()).singleElement().satisfies(d -> assertThat(d.dagId()).isEqualTo("same"));
    assertThat(r.files().get(0).dags()).hasSize(1);
    assertThat(r.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo(later);
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isEqualTo(1);
              assertThat(e.message())
                  .isEqualTo(
                      "dag_id 'same' is already defined in "
                          + first
                          + " — give each DAG its own dag_id");
            });
  }

  @Test
  void aMissingFolderSaysHowToSetIt() {
    Path missing = dags.resolve("nope");
    assertThatThrownBy(() -> DagFolder.load(missing))
        .isInstanceOf(UpdraftException.class)
        .hasMessageContaining(missing.toAbsolutePath().toString())
        .hasMessageContaining("does not exist")
        .hasMessageContaining("--dags-folder")
        .hasMessageContaining("UPDRAFT_DAGS_FOLDER");
  }

  @Test
  void symbolicLinkLoopsAreSearchedOnce() throws IOException {
    write("sub/a.yaml", manual("a"));
    try {
      Files.createSymbolicLink(dags.resolve("sub/loop"), dags);
    } catch (UnsupportedOperationException | IOException e) {
      org.junit.jupiter.api.Assumptions.abort("symbolic links are not supported here: " + e);
    }
    assertThat(files()).containsExactly("sub/a.yaml");
  }
}
