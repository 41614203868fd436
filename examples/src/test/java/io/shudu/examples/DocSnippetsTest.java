package io.shudu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the docs' code honest: every Java block ({@code ```java}) in {@code docs/**}{@code /*.md} and the README must
 * be preceded by {@code <!-- snippet: path/to/File.java#region -->} and equal the region between
 * {@code // snippet:start region} and {@code // snippet:end region} of that compiled source file (indentation
 * removed). The sources compile with the build and the snippet classes are run by tests, so the documentation cannot
 * rot; a Java block without a region fails the build, and so does a block that looks like Java (a statement with a
 * call, an import, a var, a try-with-resources) fenced as another language ({@code ```text}, no language, ...).
 */
class DocSnippetsTest {
  private static final Pattern MARKER = Pattern.compile(
      "<!-- snippet: ([^#\\s]+)#([\\w-]+) -->\\s*\\R```java\\R(.*?)\\R```", Pattern.DOTALL);
  /** Any fenced Java block (also indented, or with attributes after the language). */
  private static final Pattern JAVA_BLOCK = Pattern.compile("(?im)^[ \\t]*```\\s*java\\b.*$");
  /** Any fenced block: its info string (language) and its content. */
  private static final Pattern FENCE = Pattern.compile("(?ms)^[ \\t]*```[ \\t]*([^\\n`]*)\\R(.*?)^[ \\t]*```[ \\t]*$");

  /** Whether a block's content looks like Java: a statement with a call, an import, a var or a try-with-resources. */
  static boolean looksLikeJava(String content) {
    return content.lines().map(String::strip).anyMatch(l -> (l.endsWith(";") && l.contains("("))
        || l.startsWith("import ") || l.startsWith("var ") || l.startsWith("try ("));
  }

  /** The opening lines of blocks that are not marked Java but whose content looks like Java. */
  static List<String> javaInOtherFences(String doc) {
    List<String> found = new ArrayList<>();
    Matcher m = FENCE.matcher(doc);
    while (m.find()) {
      String info = m.group(1).strip();
      String language = info.isEmpty() ? "" : info.split("\\s+")[0].toLowerCase(java.util.Locale.ROOT);
      if (!language.equals("java") && looksLikeJava(m.group(2))) {
        found.add("```" + info + "\n" + m.group(2).lines().findFirst().orElse(""));
      }
    }
    return found;
  }

  @Test
  void javaHiddenInAnotherFenceIsFound() {
    String doc = "```text\nPosition p = ((Geometry.Point) e.geometry()).coordinates();\n```\n\n"
        + "```\nimport io.shudu.twin.TwinClient\n```\n\n"
        + "```bash\n./mvnw -B verify\n```\n\n"
        + "```json\n{\"a\": \"f(x);\"}\n```\n\n"
        + "```java\nvar x = f();\n```\n\n"
        + "  ```text\n  try (var c = open()) {\n  ```\n";
    assertThat(javaInOtherFences(doc)).containsExactly(
        "```text\nPosition p = ((Geometry.Point) e.geometry()).coordinates();",
        "```\nimport io.shudu.twin.TwinClient",
        "```text\n  try (var c = open()) {");
  }

  @Test
  void anUnmarkedJavaBlockIsFound() {
    String doc = "text\n\n```java\nint x = 1;\n```\n\n<!-- snippet: a/B.java#r -->\n```java\nint y = 2;\n```\n"
        + "  ```Java title=\"x\"\n";
    Matcher m = JAVA_BLOCK.matcher(MARKER.matcher(doc).replaceAll(""));
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group().strip());
    }
    assertThat(found).containsExactly("```java", "```Java title=\"x\"");
  }

  @Test
  void everyJavaBlockIsAMarkedSnippetThatMatchesCompiledSource() throws IOException {
    Path root = projectRoot();
    List<Path> docs = new ArrayList<>();
    docs.add(root.resolve("README.md"));
    try (Stream<Path> s = Files.walk(root.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
    }
    int checked = 0;
    List<String> problems = new ArrayList<>();
    for (Path doc : docs) {
      String text = Files.readString(doc);
      Matcher unmarked = JAVA_BLOCK.matcher(MARKER.matcher(text).replaceAll(""));
      while (unmarked.find()) {
        problems.add(root.relativize(doc) + ": a Java block is not a compiled snippet; put the code in a region of a "
            + "class that a test runs and mark the block with <!-- snippet: path#region -->:\n" + unmarked.group());
      }
      for (String block : javaInOtherFences(text)) {
        problems.add(root.relativize(doc) + ": a block that looks like Java is fenced as another language, so no "
            + "compiler checks it; fence it ```java and make it a compiled snippet (<!-- snippet: path#region -->):\n"
            + block);
      }
      Matcher m = MARKER.matcher(text);
      while (m.find()) {
        checked++;
        Path source = root.resolve(m.group(1));
        if (!Files.exists(source)) {
          problems.add(root.relativize(doc) + ": snippet source " + m.group(1) + " does not exist");
          continue;
        }
        String region = region(Files.readString(source), m.group(2));
        if (region == null) {
          problems.add(root.relativize(doc) + ": region '" + m.group(2) + "' not found in " + m.group(1));
        } else if (!normalise(region).equals(normalise(m.group(3)))) {
          problems.add(root.relativize(doc) + ": snippet " + m.group(1) + "#" + m.group(2)
              + " differs from the source; copy the region into the doc again.\n--- source ---\n" + normalise(region)
              + "\n--- doc ---\n" + normalise(m.group(3)));
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(checked).as("marked snippets found in docs").isGreaterThanOrEqualTo(50);
  }

  static String region(String source, String name) {
    Matcher m = Pattern.compile("//\\s*snippet:start " + Pattern.quote(name) + "\\R(.*?)\\R\\s*//\\s*snippet:end "
        + Pattern.quote(name), Pattern.DOTALL).matcher(source);
    return m.find() ? m.group(1) : null;
  }

  static String normalise(String block) {
    List<String> lines = block.lines().collect(Collectors.toList());
    int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
        .min().orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing())
        .collect(Collectors.joining("\n")).strip();
  }

  static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("run the tests from inside the project");
    }
    return p;
  }
}
