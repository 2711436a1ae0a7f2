package io.updraft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.UpdraftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON files of {@code connections|variables import|export}: read as one object, written
 * readable by the owner only, since an export holds passwords in clear (it is a backup).
 */
final class SecretFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SecretFiles() {}

  /** The file's top-level JSON object, or a one-line error naming the file. */
  static Map<String, Object> readObject(Path file, String what) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UpdraftException("cannot read " + file + ": " + e.getMessage());
    }
    Object value;
    try {
      value = JSON.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new UpdraftException(
          file
              + " is not valid JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ") — write one object of "
              + what);
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new UpdraftException(file + " must hold one JSON object of " + what);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /** Writes pretty JSON to a file that only its owner can read (created or truncated). */
  static void writeOwnerOnly(Path file, Object value) {
    try {
      String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(
          file,
          "",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      try {
        Files.setPosixFilePermissions(
            file, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the folder's permissions protect it
      }
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UpdraftException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
