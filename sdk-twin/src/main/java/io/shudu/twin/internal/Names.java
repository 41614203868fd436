package io.shudu.twin.internal;

import java.util.regex.Pattern;

/** Precompiled name rules shared by the twin models (compiling a pattern per check would dominate decoding). */
public final class Names {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}");
  static final Pattern PROPERTY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern IFC_GUID = Pattern.compile("[0-3][0-9A-Za-z_$]{21}");
  private static final Pattern RELATIONSHIP_TYPE = Pattern.compile("[a-z][A-Za-z0-9]{0,63}");

  private Names() {}

  /**
   * Whether this is a valid entity id.
   *
   * @param s candidate
   * @return true if valid
   */
  public static boolean id(String s) {
    // what ID matches, without a Matcher per call (entity decoding checks every id: benchmarks/run.sh, twin)
    if (s == null || s.isEmpty() || s.length() > 128 || !alnum(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(alnum(c) || c == '.' || c == '_' || c == ':' || c == '~' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean alnum(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  /**
   * Whether this is a valid property name.
   *
   * @param s candidate
   * @return true if valid
   */
  public static boolean property(String s) {
    // what PROPERTY matches, without a Matcher per call (every property of every decoded entity)
    if (s == null || s.isEmpty() || s.length() > 64) {
      return false;
    }
    char first = s.charAt(0);
    if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '_')) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(alnum(c) || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether this is an IFC GlobalId.
   *
   * @param s candidate
   * @return true if valid
   */
  public static boolean ifcGlobalId(String s) {
    return s != null && IFC_GUID.matcher(s).matches();
  }

  /**
   * Whether this is a valid relationship type.
   *
   * @param s candidate
   * @return true if valid
   */
  public static boolean relationshipType(String s) {
    return s != null && RELATIONSHIP_TYPE.matcher(s).matches();
  }
}
