/*
 * Shapes shared by several components. They mirror the Kubernetes API types they are inserted into, so the
 * values schema rejects a misspelt key before Kubernetes does.
 */

/**
 * A non-negative Kubernetes resource quantity: a number, or a string such as "100m", "64Mi", "1.5", "2e3".
 * @pattern ^(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$
 * @minimum 0
 */
export type Quantity = string | number;

/** Compute resources of one container (Kubernetes ResourceRequirements). */
export interface ResourceRequirements {
  /** Maximum resources, e.g. `{ "memory": "256Mi" }`. */
  limits?: Record<string, Quantity>;
  /** Guaranteed resources, e.g. `{ "cpu": "10m", "memory": "64Mi" }`. */
  requests?: Record<string, Quantity>;
}

/** A pod toleration (Kubernetes Toleration). */
export interface Toleration {
  /** Taint key; empty with operator Exists matches every taint. */
  key?: string;
  /** `Exists` or `Equal`. */
  operator?: 'Exists' | 'Equal';
  /** Taint value (operator Equal). */
  value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`; empty matches all effects. */
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /**
   * Seconds a NoExecute taint is tolerated.
   * @asType integer
   */
  tolerationSeconds?: number;
}

/** Free-form Kubernetes object inserted as is (e.g. an Affinity). */
export type FreeFormObject = Record<string, unknown>;

/**
 * A Kubernetes label value: at most 63 characters, alphanumerics with `-`, `_`, `.` inside, or empty.
 * @pattern ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$
 * @maxLength 63
 */
export type LabelValue = string;

/** Labels (or a node selector): label key to label value. */
export type Labels = Record<string, LabelValue>;
