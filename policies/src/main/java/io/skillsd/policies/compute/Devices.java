package io.skillsd.policies.compute;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Picks the device tensors live on, from the {@code skillsd.compute.device} choice. */
public final class Devices {

  private Devices() {}

  /**
   * @param choice {@code auto} (a GPU when DJL sees one, else the CPU), {@code cpu} or {@code gpu}
   * @throws IllegalArgumentException for {@code gpu} on a machine where DJL sees no GPU, or an unknown choice
   */
  public static Device choose(String choice) {
    return switch (choice.toLowerCase(Locale.ROOT)) {
      case "auto" -> Engine.getInstance().defaultDevice();
      case "cpu" -> Device.cpu();
      case "gpu" -> {
        if (Engine.getInstance().getGpuCount() == 0) {
          throw new IllegalArgumentException("skillsd.compute.device = gpu, but DJL sees no GPU (libtorch flavour: "
              + EngineProbe.libtorchFlavour() + "); see docs/GPU.md");
        }
        yield Device.gpu();
      }
      default -> throw new IllegalArgumentException("unknown device '" + choice + "' (allowed: auto, cpu, gpu)");
    };
  }
}
