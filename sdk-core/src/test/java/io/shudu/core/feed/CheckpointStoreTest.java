package io.shudu.core.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir
  Path dir;

  @Test
  void inMemoryKeepsTheLastIdPerConsumer() {
    CheckpointStore s = CheckpointStore.inMemory();
    assertThat(s.load("a")).isEmpty();
    s.save("a", 3);
    s.save("b", 9);
    s.save("a", 4);
    assertThat(s.load("a")).hasValue(4);
    assertThat(s.load("b")).hasValue(9);
  }

  @Test
  void aFileStoreSurvivesANewInstanceAndLeavesNoTemporaryFiles() throws Exception {
    Path file = dir.resolve("state").resolve("feeds.checkpoints");
    CheckpointStore s = CheckpointStore.file(file);
    assertThat(s.load("rider-router/traffic")).isEmpty();
    s.save("rider-router/traffic", 41);
    s.save("rider-router/traffic", 42);
    s.save("river watch = 青浦", 7);

    CheckpointStore again = CheckpointStore.file(file);
    assertThat(again.load("rider-router/traffic")).hasValue(42);
    assertThat(again.load("river watch = 青浦")).hasValue(7);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aCorruptFileIsReportedWithWhatToDo() throws Exception {
    Path file = dir.resolve("bad.checkpoints");
    Files.writeString(file, "router=forty-two\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CheckpointStore.file(file)).isInstanceOf(ClientException.class)
        .hasMessageContaining("router").hasMessageContaining("forty-two").hasMessageContaining("delete");
  }

  @Test
  void anUnwritableFolderIsReported() throws Exception {
    Path blocker = dir.resolve("not-a-folder");
    CheckpointStore s = CheckpointStore.file(blocker.resolve("feeds.checkpoints"));
    Files.writeString(blocker, "a file where the store expects its folder");
    assertThatThrownBy(() -> s.save("router", 1)).isInstanceOf(ClientException.class)
        .hasMessageContaining("could not be saved");
    assertThat(s.load("router")).isEmpty();
  }

  @Test
  void resetForgetsOneConsumerInMemory() {
    CheckpointStore s = CheckpointStore.inMemory();
    s.save("a", 3);
    s.save("b", 9);
    s.reset("a");
    s.reset("never-saved");
    assertThat(s.load("a")).isEmpty();
    assertThat(s.load("b")).hasValue(9);
    s.save("a", 1);
    assertThat(s.load("a")).as("a reset consumer may start again below its old checkpoint").hasValue(1);
  }

  @Test
  void resetInAFileStoreSurvivesANewInstanceAndKeepsTheOtherConsumers() throws Exception {
    Path file = dir.resolve("feeds.checkpoints");
    CheckpointStore s = CheckpointStore.file(file);
    s.save("delivery-platform/traffic", 1200);
    s.save("delivery-platform/fire-alarms", 88);
    s.reset("delivery-platform/traffic");
    assertThat(s.load("delivery-platform/traffic")).isEmpty();

    CheckpointStore again = CheckpointStore.file(file);
    assertThat(again.load("delivery-platform/traffic")).isEmpty();
    assertThat(again.load("delivery-platform/fire-alarms")).hasValue(88);
    again.reset("delivery-platform/fire-alarms");
    assertThat(CheckpointStore.file(file).load("delivery-platform/fire-alarms")).isEmpty();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aResetThatCannotBeWrittenKeepsTheCheckpointAndSaysSo() throws Exception {
    Path folder = dir.resolve("state");
    Path file = folder.resolve("feeds.checkpoints");
    CheckpointStore s = CheckpointStore.file(file);
    s.save("router", 5);
    // replace the folder by a file: the rewrite cannot create its temporary file
    Files.delete(file);
    Files.delete(folder);
    Files.writeString(folder, "a file where the store expects its folder");
    assertThatThrownBy(() -> s.reset("router")).isInstanceOf(ClientException.class)
        .hasMessageContaining("could not be reset").hasMessageContaining("router");
    assertThat(s.load("router")).hasValue(5);
  }

  @Test
  void consumerNamesAreValidated() {
    assertThatThrownBy(() -> CheckpointStore.inMemory().reset("a\nb")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("consumer");
    assertThatThrownBy(() -> CheckpointStore.file(dir.resolve("c")).reset(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumer");
    assertThatThrownBy(() -> CheckpointStore.inMemory().save("", 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("consumer");
  }
}
