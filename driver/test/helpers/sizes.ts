/** One gibibyte: Cinder sizes volumes in whole GiB. */
export const GiB = 1024 ** 3;
