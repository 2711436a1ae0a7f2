package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:postgresql://127.0.0.1:5433/test | jdbc:postgresql://127.0.0.1:5433/test",
        "jdbc:postgresql://h/db?user=u&password=s3cret | jdbc:postgresql://h/db?user=u",
        "jdbc:postgresql://h/db?password=s3cret&user=u | jdbc:postgresql://h/db?user=u",
        "jdbc:postgresql://h/db?password=s3cret | jdbc:postgresql://h/db",
        "jdbc:postgresql://h/db?user=u&PASSWORD=s3cret&ssl=true | jdbc:postgresql://h/db?user=u&ssl=true",
        "jdbc:postgresql://h/db?sslpassword=s3cret&user=u | jdbc:postgresql://h/db?user=u",
        "jdbc:mysql://root:s3cret@127.0.0.1:3306/test | jdbc:mysql://root@127.0.0.1:3306/test",
        "jdbc:mariadb://u:s3cret@h:3306/db?password=s3cret | jdbc:mariadb://u@h:3306/db",
        "jdbc:h2:file:/x/updraft;USER=sa;PASSWORD=s3cret;AUTO_SERVER=TRUE | jdbc:h2:file:/x/updraft;USER=sa;AUTO_SERVER=TRUE",
        "jdbc:h2:file:/x/updraft;FILE_PASSWORD=s3cret | jdbc:h2:file:/x/updraft",
      })
  void removesPasswords(String url, String expected) {
    assertThat(Redact.url(url)).isEqualTo(expected).doesNotContain("s3cret");
  }
}
