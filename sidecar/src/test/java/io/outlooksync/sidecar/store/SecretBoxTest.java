package io.outlooksync.sidecar.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
  @TempDir
  Path dir;

  @Test
  void sealsAndOpensWithTheSameContextOnly() {
    SecretBox box = SecretBox.fromSpec(SecretBox.newKeyLine("k1"));
    byte[] sealed = box.seal("refresh-token".getBytes(StandardCharsets.UTF_8), "token_cache:1");
    assertArrayEquals("refresh-token".getBytes(StandardCharsets.UTF_8), box.open(sealed, "token_cache:1"));
    assertThrows(SecretBox.SecretException.class, () -> box.open(sealed, "token_cache:2"));
    sealed[sealed.length - 1] ^= 1;
    assertThrows(SecretBox.SecretException.class, () -> box.open(sealed, "token_cache:1"));
  }

  @Test
  void createsAKeyFileReadableByItsOwnerOnly() throws IOException {
    Path file = dir.resolve("keys/secret.key");
    SecretBox box = SecretBox.fromFile(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(box.activeKeyId(), SecretBox.fromFile(file).activeKeyId(), "the same key next time");
  }

  @Test
  void refusesAKeyFileOthersCanRead() throws IOException {
    Path file = dir.resolve("secret.key");
    Files.writeString(file, SecretBox.newKeyLine("k1"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    IOException e = assertThrows(IOException.class, () -> SecretBox.fromFile(file));
    assertTrue(e.getMessage().contains("chmod 600"));
  }

  @Test
  void badKeysAreRefusedWithoutShowingThem() {
    IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class, () -> SecretBox.fromSpec("k1:c2hvcnQ="));
    assertTrue(shortKey.getMessage().contains("32 bytes"));
    IllegalArgumentException noId = assertThrows(IllegalArgumentException.class, () -> SecretBox.fromSpec("c2VjcmV0LXZhbHVl"));
    assertFalse(noId.getMessage().contains("c2VjcmV0LXZhbHVl"));
  }
}
