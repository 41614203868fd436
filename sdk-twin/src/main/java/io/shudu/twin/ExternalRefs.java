package io.shudu.twin;

/**
 * References from a twin entity to external models.
 *
 * @param ifcGlobalId the IFC GlobalId of the element in the BIM model: 22 characters of the IFC base-64 alphabet
 *     (0-9 A-Z a-z _ $), first character 0-3; or null
 * @param tilesFeatureId the feature id in the city's 3D Tiles tileset, or null
 */
public record ExternalRefs(String ifcGlobalId, String tilesFeatureId) {
  /** Validates the IFC GlobalId's shape. */
  public ExternalRefs {
    if (ifcGlobalId != null && !io.shudu.twin.internal.Names.ifcGlobalId(ifcGlobalId)) {
      throw new IllegalArgumentException("externalRefs.ifcGlobalId must be an IFC GlobalId (22 characters of "
          + "0-9 A-Z a-z _ $, first 0-3), got '" + ifcGlobalId + "'");
    }
  }
}
