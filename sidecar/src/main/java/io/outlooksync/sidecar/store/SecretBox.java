package io.outlooksync.sidecar.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest (the client secret, token caches with their refresh tokens) with AES-256-GCM.
 * Each ciphertext names the key that made it, so keys can be rotated: the first key encrypts, every listed
 * key decrypts. Each ciphertext is bound to what it protects (its "context", e.g. {@code token_cache:17}), so
 * a value copied onto another row does not decrypt.
 *
 * <p>Keys come from a key file, one {@code id:base64key} per line, first line active, mode 0600 (anything
 * wider is refused, as ssh refuses a readable private key), or from {@code OUTLOOK_SYNC_SECRET_KEYS} in the
 * same format with lines separated by commas. See docs/security.md for rotation.
 */
public final class SecretBox {
  private static final byte FORMAT = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String activeId;
  private final Map<String, SecretKeySpec> keys;

  private SecretBox(Map<String, SecretKeySpec> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no secret key given");
    }
    this.keys = keys;
    this.activeId = keys.keySet().iterator().next();
  }

  /** Parses {@code id:base64key} entries, the first being the active key. */
  public static SecretBox fromSpec(String spec) {
    Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    for (String raw : spec.split("[\\n,]")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("a key line is id:base64key (the key itself is not shown)");
      }
      String id = line.substring(0, colon);
      if (!id.matches("[A-Za-z0-9_.-]{1,40}")) {
        throw new IllegalArgumentException("bad key id: " + id);
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(line.substring(colon + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("key " + id + " is not base64");
      }
      if (key.length != 32) {
        throw new IllegalArgumentException("key " + id + " must be 32 bytes (AES-256), found " + key.length);
      }
      if (keys.put(id, new SecretKeySpec(key, "AES")) != null) {
        throw new IllegalArgumentException("key id " + id + " appears twice");
      }
    }
    return new SecretBox(keys);
  }

  /** Reads the key file, refusing one that others can read; creates it (0600, one new key) if absent. */
  public static SecretBox fromFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      create(file);
    }
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      Set<PosixFilePermission> allowed = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      if (!allowed.containsAll(perms)) {
        throw new IOException("the key file " + file + " is readable by others (" + PosixFilePermissions.toString(perms)
            + "); chmod 600 it");
      }
    }
    return fromSpec(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** A new random key line, for a fresh key file or for rotation. */
  public static String newKeyLine(String id) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return id + ":" + Base64.getEncoder().encodeToString(key);
  }

  private static void create(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    String line = newKeyLine("k" + System.currentTimeMillis() / 1000) + "\n";
    try {
      if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException raced) {
      return;
    }
    Files.writeString(file, line, StandardCharsets.UTF_8);
  }

  public String activeKeyId() {
    return activeId;
  }

  public byte[] seal(byte[] plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] id = activeId.getBytes(StandardCharsets.US_ASCII);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, keys.get(activeId), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plaintext);
      return ByteBuffer.allocate(2 + id.length + NONCE_BYTES + sealed.length)
          .put(FORMAT).put((byte) id.length).put(id).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  public byte[] open(byte[] box, String context) {
    ByteBuffer b = ByteBuffer.wrap(box);
    if (box.length < 2 + NONCE_BYTES || b.get() != FORMAT) {
      throw new SecretException("not a sealed value");
    }
    byte[] id = new byte[b.get()];
    b.get(id);
    String keyId = new String(id, StandardCharsets.US_ASCII);
    SecretKeySpec key = keys.get(keyId);
    if (key == null) {
      throw new SecretException("sealed with key " + keyId + ", which is not in the key list");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    b.get(nonce);
    byte[] sealed = new byte[b.remaining()];
    b.get(sealed);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(sealed);
    } catch (GeneralSecurityException e) {
      throw new SecretException("cannot decrypt " + context + " (wrong key, or the value belongs elsewhere)");
    }
  }

  /** The id of the key a sealed value was made with, for rotation. */
  public static String keyIdOf(byte[] box) {
    if (box.length < 2) {
      return "";
    }
    return new String(box, 2, box[1], StandardCharsets.US_ASCII);
  }

  public List<String> keyIds() {
    return new ArrayList<>(keys.keySet());
  }

  /** A secret that cannot be opened; the message never contains secret material. */
  public static final class SecretException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SecretException(String message) {
      super(message);
    }
  }
}
