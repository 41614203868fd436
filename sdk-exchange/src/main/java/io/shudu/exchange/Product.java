package io.shudu.exchange;

import java.util.List;

/**
 * A data product.
 *
 * @param id product id
 * @param title title
 * @param description description
 * @param category category code
 * @param tags tags (Chinese and English)
 * @param merchantId merchant id
 * @param merchantName merchant name
 * @param merchantType merchant type
 * @param latestVersion latest version
 * @param versions all versions
 * @param schema data dictionary
 * @param sample sample preview
 * @param priceTerms price terms
 * @param certificates compliance certificates
 * @param personalInformation NONE, DEIDENTIFIED, PERSONAL or SENSITIVE
 * @param offerIds offers for this product
 */
public record Product(String id, LocalizedText title, LocalizedText description, String category, List<String> tags,
    String merchantId, String merchantName, MerchantType merchantType, String latestVersion,
    List<ProductVersion> versions, List<SchemaField> schema, SamplePreview sample, PriceTerms priceTerms,
    List<Certificate> certificates, PersonalInformation personalInformation, List<String> offerIds) {
  /** Copies lists. */
  public Product {
    tags = tags == null ? List.of() : List.copyOf(tags);
    versions = versions == null ? List.of() : List.copyOf(versions);
    schema = schema == null ? List.of() : List.copyOf(schema);
    certificates = certificates == null ? List.of() : List.copyOf(certificates);
    offerIds = offerIds == null ? List.of() : List.copyOf(offerIds);
  }
}
