package io.skillsd.policies.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>Reading widens BF16, F16 and F64 to float32 in Java, so no reduced-precision tensor ever reaches the
 * engine (DJL 0.36 aborts the JVM on BF16). Integer tensors (I64, I32) are read as longs. Writing produces
 * F32 tensors in the same format, so files written here open in any safetensors reader.
 */
public final class SafeTensors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L * 1024 * 1024;

  /** A tensor's header entry. */
  public record Entry(String name, String dtype, long[] shape, long begin, long end) {
    public Entry {
      shape = shape.clone();
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }
  }

  private final Path file;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafeTensors(Path file, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
    this.file = file;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Opens a file and validates its header against its length; reads no tensor data yet. */
  public static SafeTensors open(Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointFormatException(file, "missing safetensors file");
    } catch (IOException e) {
      throw new CheckpointFormatException(file, "cannot read: " + e.getMessage());
    }
    if (size < 8) {
      throw new CheckpointFormatException(file, "truncated: " + size + " bytes, no header length");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.getLong(0);
      if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
        throw new CheckpointFormatException(file, "truncated or corrupt: header length " + headerLen
            + " does not fit a file of " + size + " bytes");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      readFully(ch, header, 8);
      JsonNode root;
      try {
        root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new CheckpointFormatException(file, "corrupt header: not JSON");
      }
      if (root == null || !root.isObject()) {
        throw new CheckpointFormatException(file, "corrupt header: not a JSON object");
      }
      long dataLen = size - 8 - headerLen;
      Map<String, Entry> entries = new LinkedHashMap<>();
      Map<String, String> metadata = new TreeMap<>();
      for (Map.Entry<String, JsonNode> f : root.properties()) {
        if (f.getKey().equals("__metadata__")) {
          f.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        entries.put(f.getKey(), entry(file, f.getKey(), f.getValue(), dataLen));
      }
      return new SafeTensors(file, 8 + headerLen, Collections.unmodifiableMap(entries),
          Collections.unmodifiableMap(metadata));
    } catch (IOException e) {
      throw new CheckpointFormatException(file, "cannot read: " + e.getMessage());
    }
  }

  private static Entry entry(Path file, String name, JsonNode n, long dataLen) {
    String dtype = n.path("dtype").asText("");
    JsonNode shapeNode = n.path("shape");
    JsonNode offsets = n.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new CheckpointFormatException(file, "corrupt header entry for tensor '" + name + "'");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong(-1);
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    int width = width(dtype);
    if (width == 0) {
      throw new CheckpointFormatException(file, "tensor '" + name + "' has unsupported dtype " + dtype
          + "; supported: F32, F16, BF16, F64, I64, I32");
    }
    long numel;
    try {
      numel = HostTensor.numel(shape);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CheckpointFormatException(file, "tensor '" + name + "' has invalid shape " + Arrays.toString(shape));
    }
    if (begin < 0 || end < begin || end - begin != numel * width) {
      throw new CheckpointFormatException(file, "tensor '" + name + "' byte range [" + begin + ", " + end
          + ") does not hold " + Arrays.toString(shape) + " of " + dtype);
    }
    if (end > dataLen) {
      throw new CheckpointFormatException(file, "truncated: tensor '" + name + "' ends at byte " + end
          + " of the data section but the file holds only " + dataLen);
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static int width(String dtype) {
    return switch (dtype) {
      case "F32", "I32" -> 4;
      case "F16", "BF16" -> 2;
      case "F64", "I64" -> 8;
      default -> 0;
    };
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  /** The file this was read from. */
  public Path file() {
    return file;
  }

  /** Header entries by tensor name, in file order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** The {@code __metadata__} string map (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  private Entry require(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new CheckpointFormatException(file, "missing tensor '" + name + "'");
    }
    return e;
  }

  private ByteBuffer bytes(Entry e) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long len = e.end() - e.begin();
      if (len > Integer.MAX_VALUE) {
        throw new CheckpointFormatException(file, "tensor '" + e.name() + "' is larger than 2 GiB");
      }
      return ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), len).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException ex) {
      throw new CheckpointFormatException(file, "cannot read tensor '" + e.name() + "': " + ex.getMessage());
    }
  }

  /** Reads a floating-point tensor as float32, widening BF16/F16 and narrowing F64. */
  public HostTensor readFloat(String name) {
    Entry e = require(name);
    ByteBuffer b = bytes(e);
    int n = (int) HostTensor.numel(e.shape());
    float[] out = new float[n];
    switch (e.dtype()) {
      case "F32" -> b.asFloatBuffer().get(out);
      case "BF16" -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
        }
      }
      case "F16" -> {
        for (int i = 0; i < n; i++) {
          out[i] = halfToFloat(b.getShort(2 * i));
        }
      }
      case "F64" -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) b.getDouble(8 * i);
        }
      }
      default -> throw new CheckpointFormatException(file,
          "tensor '" + name + "' has dtype " + e.dtype() + ", expected a floating-point dtype");
    }
    return new HostTensor(e.shape(), out);
  }

  /** Reads an integer tensor (I64 or I32) as longs. */
  public long[] readLongs(String name) {
    Entry e = require(name);
    ByteBuffer b = bytes(e);
    int n = (int) HostTensor.numel(e.shape());
    long[] out = new long[n];
    switch (e.dtype()) {
      case "I64" -> b.asLongBuffer().get(out);
      case "I32" -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt(4 * i);
        }
      }
      default -> throw new CheckpointFormatException(file,
          "tensor '" + name + "' has dtype " + e.dtype() + ", expected I64 or I32");
    }
    return out;
  }

  /** IEEE 754 binary16 to float32. */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      float v = mant / 1024f / 16384f; // subnormal: mant * 2^-24
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /**
   * Writes float32 tensors (sorted by name) with optional string metadata. The file is written to a
   * sibling temporary file and moved into place, so a crash never leaves a half-written checkpoint.
   */
  public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata) {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      new TreeMap<>(metadata).forEach(meta::put);
    }
    TreeMap<String, HostTensor> sorted = new TreeMap<>(tensors);
    long offset = 0;
    for (Map.Entry<String, HostTensor> t : sorted.entrySet()) {
      ObjectNode e = header.putObject(t.getKey());
      e.put("dtype", "F32");
      var shape = e.putArray("shape");
      for (long d : t.getValue().shape()) {
        shape.add(d);
      }
      long len = 4L * t.getValue().data().length;
      e.putArray("data_offsets").add(offset).add(offset + len);
      offset += len;
    }
    byte[] headerBytes;
    try {
      headerBytes = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int padded = (headerBytes.length + 7) / 8 * 8;
    byte[] head = Arrays.copyOf(headerBytes, padded);
    Arrays.fill(head, headerBytes.length, padded, (byte) ' ');
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
      out.write(len.array());
      out.write(head);
      ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      for (HostTensor t : sorted.values()) {
        float[] d = t.data();
        for (int i = 0; i < d.length; ) {
          chunk.clear();
          int m = Math.min(d.length - i, chunk.capacity() / 4);
          chunk.asFloatBuffer().put(d, i, m);
          out.write(chunk.array(), 0, 4 * m);
          i += m;
        }
      }
    } catch (IOException e) {
      throw new CheckpointFormatException(file, "cannot write: " + e.getMessage());
    }
    try {
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CheckpointFormatException(file, "cannot write: " + e.getMessage());
    }
  }
}
