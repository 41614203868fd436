package io.shudu.core.internal;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link CheckpointStore} implementations behind {@code CheckpointStore.inMemory()} and {@code file(Path)}. */
public final class FeedCheckpoints {
  private FeedCheckpoints() {}

  /** Checkpoints in a map. */
  public static final class InMemory implements CheckpointStore {
    private final Map<String, Long> ids = new ConcurrentHashMap<>();

    /** An empty store. */
    public InMemory() {}

    @Override
    public OptionalLong load(String consumer) {
      Long id = ids.get(CheckpointStore.checkConsumer(consumer));
      return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    @Override
    public void save(String consumer, long eventId) {
      ids.put(CheckpointStore.checkConsumer(consumer), eventId);
    }

    @Override
    public String toString() {
      return "CheckpointStore.inMemory" + ids;
    }
  }

  /** Checkpoints in a properties file, rewritten atomically on each save. */
  public static final class FileStore implements CheckpointStore {
    private final Path file;
    private final Map<String, Long> ids = new TreeMap<>();

    public FileStore(Path file) {
      this.file = file.toAbsolutePath();
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(this.file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (NoSuchFileException e) {
        return;
      } catch (IOException | IllegalArgumentException e) {
        throw new ClientException("The checkpoint file " + this.file + " could not be read: " + e.getMessage()
            + ". Fix or delete it (deleting restarts every consumer in it from its start position).", e, false);
      }
      for (String name : p.stringPropertyNames()) {
        try {
          ids.put(name, Long.parseLong(p.getProperty(name).trim()));
        } catch (NumberFormatException e) {
          throw new ClientException("The checkpoint file " + this.file + " has a bad value for consumer '" + name
              + "': '" + p.getProperty(name) + "' is not an event id. Fix or delete the line.", e, false);
        }
      }
    }

    @Override
    public synchronized OptionalLong load(String consumer) {
      Long id = ids.get(CheckpointStore.checkConsumer(consumer));
      return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    @Override
    public synchronized void save(String consumer, long eventId) {
      CheckpointStore.checkConsumer(consumer);
      Long previous = ids.put(consumer, eventId);
      if (previous != null && previous == eventId) {
        return;
      }
      Properties p = new Properties();
      ids.forEach((k, v) -> p.setProperty(k, Long.toString(v)));
      try {
        Path dir = file.getParent();
        if (dir != null) {
          Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
          try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Shudu feed checkpoints: consumer = id of the last handled event");
          }
          try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
          }
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        if (previous == null) {
          ids.remove(consumer);
        } else {
          ids.put(consumer, previous);
        }
        throw new ClientException("The checkpoint of consumer '" + consumer + "' could not be saved to " + file + ": "
            + e + ". Check that the folder exists and is writable.", e, true);
      }
    }

    @Override
    public String toString() {
      return "CheckpointStore.file(" + file + ")";
    }
  }
}
