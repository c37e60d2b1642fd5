package io.skillsd.actors.settings;

/**
 * Where tensors live ({@code skillsd.compute}).
 *
 * @param device {@code auto} uses a GPU when DJL finds one, else the CPU
 * @param threads intra-op threads for libtorch; 0 lets libtorch choose
 */
public record ComputeSettings(Device device, int threads) {

  /** The device choice. */
  public enum Device {
    AUTO,
    CPU,
    GPU
  }

  static ComputeSettings read(SettingsReader r) {
    return new ComputeSettings(r.enumValue("device", Device.class), r.intIn("threads", 0, 1024));
  }
}
