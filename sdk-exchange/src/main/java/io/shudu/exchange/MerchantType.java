package io.shudu.exchange;

/** The six types of data merchant (数商) registered with the exchange. */
public enum MerchantType {
  /** 数据产品供应商 / 采购方: data supplier or buyer. */
  DATA_SUPPLIER_BUYER,
  /** 数据交付服务商: data delivery. */
  DELIVERY,
  /** 数据评估 (质量、资产): data evaluation. */
  EVALUATION,
  /** 数据经纪: intermediary. */
  INTERMEDIARY,
  /** 数据咨询 (合规、治理): consulting. */
  CONSULTING,
  /** 其他数商服务 (安全、技术): other services. */
  OTHER_SERVICES
}
