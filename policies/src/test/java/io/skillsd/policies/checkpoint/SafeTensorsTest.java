package io.skillsd.policies.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir Path tmp;

  @Test
  void writeThenReadRoundTrips() {
    Path file = tmp.resolve("t.safetensors");
    HostTensor a = new HostTensor(new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-7f, -0f});
    HostTensor b = new HostTensor(new long[] {}, new float[] {42});
    SafeTensors.write(file, Map.of("b", b, "a", a), Map.of("format", "pt"));
    SafeTensors st = SafeTensors.open(file);
    assertEquals(a, st.readFloat("a"));
    assertEquals(b, st.readFloat("b"));
    assertEquals("pt", st.metadata().get("format"));
    assertEquals("F32", st.entries().get("a").dtype());
  }

  @Test
  void widensBf16AndF16ByHand() throws IOException {
    // bf16 0x3FC0 = 1.5, 0xC2F7 = -123.5; f16 0x3C00 = 1, 0xC000 = -2, 0x0001 = 2^-24, 0x7BFF = 65504
    Path file = tmp.resolve("h.safetensors");
    String header = "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
        + "\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[4,12]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 12).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(h.length).put(h);
    for (int s : new int[] {0x3FC0, 0xC2F7, 0x3C00, 0xC000, 0x0001, 0x7BFF}) {
      buf.putShort((short) s);
    }
    Files.write(file, buf.array());
    SafeTensors st = SafeTensors.open(file);
    assertArrayEquals(new float[] {1.5f, -123.5f}, st.readFloat("b").data());
    assertArrayEquals(new float[] {1f, -2f, (float) Math.pow(2, -24), 65504f}, st.readFloat("h").data());
  }
}
