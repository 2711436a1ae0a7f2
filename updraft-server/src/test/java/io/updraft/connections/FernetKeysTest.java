package io.updraft.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.UpdraftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FernetKeys}: Airflow's MultiFernet, the key file, and the errors without a key. */
class FernetKeysTest {
  @TempDir Path home;

  private final String oldKey = Fernet.generateKey();
  private final String newKey = Fernet.generateKey();

  @Test
  void encryptsWithTheFirstKeyAndDecryptsWithAny() {
    String old = FernetKeys.parse(oldKey, "test").encrypt("pw", "x");
    FernetKeys both = FernetKeys.parse(newKey + "," + oldKey, "test");
    assertThat(both.decrypt(old, "x")).isEqualTo("pw");
    assertThat(both.isCurrent(old)).isFalse();
    String fresh = both.encrypt("pw", "x");
    assertThat(both.isCurrent(fresh)).isTrue();
    assertThat(FernetKeys.parse(newKey, "test").decrypt(fresh, "x")).isEqualTo("pw");
  }

  @Test
  void theWrongKeyIsAClearError() {
    String token = FernetKeys.parse(oldKey, "test").encrypt("pw", "x");
    assertThatThrownBy(
            () ->
                FernetKeys.resolve(newKey, home).decrypt(token, "the password of connection 'db'"))
        .isInstanceOf(UpdraftException.class)
        .hasMessage(
            "cannot decrypt the password of connection 'db' with the key of core.fernet_key"
                + " (UPDRAFT_CORE_FERNET_KEY): it was stored with another key — add that key to"
                + " core.fernet_key (UPDRAFT_CORE_FERNET_KEY) after the new one (comma-separated),"
                + " then run 'updraft connections rotate-key'");
  }

  @Test
  void noKeyIsAClearErrorOnReadAndOnWrite() {
    String token = FernetKeys.parse(oldKey, "test").encrypt("pw", "x");
    FernetKeys none = FernetKeys.resolve(null, home);
    assertThat(none.present()).isFalse();
    assertThatThrownBy(() -> none.decrypt(token, "the password of connection 'db'"))
        .hasMessage(
            "the password of connection 'db' is stored encrypted but no Fernet key is set — set"
                + " core.fernet_key (UPDRAFT_CORE_FERNET_KEY) to the key it was stored with (or"
                + " put it in the home's fernet.key)");
    assertThatThrownBy(() -> none.encrypt("pw", "variable 'api_token'"))
        .hasMessage(
            "cannot store variable 'api_token' encrypted: no Fernet key is set — set"
                + " core.fernet_key (UPDRAFT_CORE_FERNET_KEY) or run 'updraft db migrate' to"
                + " create fernet.key in the home");
  }

  @Test
  void aMalformedKeyNamesItsPlaceNotItsValue() {
    assertThatThrownBy(() -> FernetKeys.resolve(newKey + ",tooshort", home))
        .hasMessageStartingWith("key 2 of core.fernet_key (UPDRAFT_CORE_FERNET_KEY) is not valid:")
        .hasMessageNotContaining("tooshort");
  }

  @Test
  void theKeyFileIsCreatedOnceReadableByItsOwnerOnly() throws Exception {
    assertThat(FernetKeys.createKeyFile(null, home)).contains(home.resolve("fernet.key"));
    Path file = home.resolve("fernet.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String key = Files.readString(file).strip();
    assertThat(FernetKeys.createKeyFile(null, home)).isEmpty();
    assertThat(Files.readString(file).strip()).isEqualTo(key);

    FernetKeys fromFile = FernetKeys.resolve(null, home);
    assertThat(fromFile.present()).isTrue();
    assertThat(FernetKeys.parse(key, "t").decrypt(fromFile.encrypt("pw", "x"), "x"))
        .isEqualTo("pw");
  }

  @Test
  void aConfiguredKeyWinsAndNoFileIsMade() {
    assertThat(FernetKeys.createKeyFile(newKey, home)).isEmpty();
    assertThat(home.resolve("fernet.key")).doesNotExist();
  }
}
