package io.shudu.twin.internal;

import java.util.regex.Pattern;

/** Precompiled name rules shared by the twin models (compiling a pattern per check would dominate decoding). */
public final class Names {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}");
  private static final Pattern PROPERTY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
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
    return s != null && ID.matcher(s).matches();
  }

  /**
   * Whether this is a valid property name.
   *
   * @param s candidate
   * @return true if valid
   */
  public static boolean property(String s) {
    return s != null && PROPERTY.matcher(s).matches();
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
